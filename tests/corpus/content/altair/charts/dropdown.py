import altair as alt

TITLE = "Price of one product, chosen from a list"
ALT = "Monthly price of tea, coffee or cocoa, one line at a time, chosen from a drop-down list."


def chart(data, facts):
    product = alt.param(name="which", value="Tea",
                        bind=alt.binding_select(options=["Tea", "Coffee", "Cocoa"], name="Product "))
    return alt.Chart(data["sales"], height=180).mark_line(point=True).encode(
        x=alt.X("month", type="temporal", title=None),
        y=alt.Y("price", type="quantitative"),
    ).add_params(product).transform_filter("datum.product == which")
