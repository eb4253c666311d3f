import altair as alt

TITLE = "Density, as Altair's documentation writes it"
ALT = "The density of miles per gallon, one curve per origin."


def chart(data, facts):
    return alt.Chart(data["cars.csv"]).transform_density(
        "mpg", as_=["mpg", "density"], groupby=["origin"], extent=[5, 45]
    ).mark_area(opacity=0.5).encode(x="mpg:Q", y="density:Q", color="origin:N")
