import altair as alt

TITLE = "Three regions as pictures"
ALT = "Three small squares, one per region, placed by the region's total population."

# A one-pixel picture in three colours, carried inside the chart (an image mark with data: addresses).
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def chart(data, facts):
    return alt.Chart(data["cities"], height=120).transform_aggregate(
        total="sum(population)", groupby=["region"]
    ).transform_calculate(picture=f"'{PIXEL}'").mark_image(width=24, height=24).encode(
        x=alt.X("total", type="quantitative"),
        y=alt.Y("region", type="nominal"),
        url=alt.Url("picture", type="nominal"),
    )
