import altair as alt

TITLE = "A bin and a time unit"
ALT = "Count of days by binned temperature, per week."


def chart(data, facts):
    return alt.Chart(data["weather"]).transform_bin(
        "temp_bin", "temp", bin=alt.Bin(maxbins=6)
    ).transform_timeunit(
        week="week(date)"
    ).mark_rect().encode(
        x=alt.X("temp_bin:O"), y="week:O", color="count():Q",
    )
