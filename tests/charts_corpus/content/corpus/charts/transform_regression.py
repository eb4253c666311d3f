import altair as alt

TITLE = ["A regression", "with its parameters"]
ALT = "Points of horsepower against miles per gallon, a fitted line and its R squared."


def chart(data, facts):
    base = alt.Chart(data["cars.csv"]).mark_point().encode(x="horsepower:Q", y="mpg:Q")
    line = base.transform_regression("horsepower", "mpg").mark_line()
    params = base.transform_regression("horsepower", "mpg", params=True).transform_calculate(
        r2="'R² ' + format(datum.rSquared, '.2f')"
    ).mark_text(align="left").encode(x=alt.value(10), y=alt.value(10), text="r2:N")
    return base + line + params
