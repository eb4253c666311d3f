import altair as alt

TITLE = "عدد الرحلات في السنة"
ALT = "خط يرتفع من {literal:412,000} رحلة عام 2015 إلى {literal:1.9} مليون رحلة عام 2024، مع تراجع عام 2020."
CAPTION = "حرّك المؤشر لتبدأ الخط من سنة لاحقة."
SOURCE = "إدارة النقل"


def chart(data, facts):
    start = alt.param(name="start_year", value=2015,
                      bind=alt.binding_range(min=2015, max=2023, step=1, name="السنة الأولى "))
    return alt.Chart(data["trips"], height=220).mark_line(point=True).encode(
        x=alt.X("year", type="quantitative", title="السنة", scale=alt.Scale(zero=False)),
        y=alt.Y("trips", type="quantitative", title="الرحلات"),
        tooltip=[alt.Tooltip("year", type="quantitative", title="السنة"),
                 alt.Tooltip("trips", type="quantitative", title="الرحلات", format=",")],
    ).transform_filter("datum.year >= start_year").add_params(start)
