import altair as alt

TITLE = "JSON rows under a property, by address"
ALT = "Sales by quarter and region, from rows nested under data.rows."


def chart(data, facts):
    source = alt.UrlData(url="data/sales.json", format=alt.DataFormat(type="json", property="data.rows"))
    return alt.Chart(source).mark_bar().encode(x="quarter:O", y="sum(amount):Q", color="region:N")
