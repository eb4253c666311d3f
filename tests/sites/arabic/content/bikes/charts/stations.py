import altair as alt

TITLE = "عدد المراسي في أكبر المحطات"
ALT = "أعمدة أفقية: المحطة المركزية {literal:31} مرسى، الميناء {literal:27}، الجامعة {literal:23}، المكتبة {literal:19}، السوق القديم {literal:15}."
CAPTION = "المحطات الخمس الأكبر."
SOURCE = "إدارة النقل"


def chart(data, facts):
    return alt.Chart(data["stations"], height=160).mark_bar().encode(
        x=alt.X("docks", type="quantitative", title="المراسي"),
        y=alt.Y("station", type="nominal", title=None, sort="-x"),
        tooltip=[alt.Tooltip("station", type="nominal", title="المحطة"),
                 alt.Tooltip("docks", type="quantitative", title="المراسي")],
    )
