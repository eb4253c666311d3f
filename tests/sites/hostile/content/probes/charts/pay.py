import altair as alt

TITLE = 'chart_title</title></textarea></style></script>"\'></iframe><img src=x data-probe=chart_title onerror="window.bsPwned=\'chart_title\'"><script>window.bsPwned=\'chart_title\';alert(\'chart_title\')</script>'
ALT = 'chart_alt</title></textarea></style></script>"\'></iframe><img src=x data-probe=chart_alt onerror="window.bsPwned=\'chart_alt\'"><script>window.bsPwned=\'chart_alt\';alert(\'chart_alt\')</script>'
CAPTION = 'chart_caption</title></textarea></style></script>"\'></iframe><img src=x data-probe=chart_caption onerror="window.bsPwned=\'chart_caption\'"><script>window.bsPwned=\'chart_caption\';alert(\'chart_caption\')</script>'
SOURCE = 'chart_source</title></textarea></style></script>"\'></iframe><img src=x data-probe=chart_source onerror="window.bsPwned=\'chart_source\'"><script>window.bsPwned=\'chart_source\';alert(\'chart_source\')</script>'
SOURCES = ["quoted"]


def chart(data, facts):
    workers = alt.param(name="workers", value=facts["workers"].value,
                        bind=alt.binding_range(min=100, max=5000, step=100, name='slider_label</title></textarea></style></script>"\'></iframe><img src=x data-probe=slider_label onerror="window.bsPwned=\'slider_label\'"><script>window.bsPwned=\'slider_label\';alert(\'slider_label\')</script>'))
    return alt.Chart(data["pay"], height=160).mark_bar().encode(
        x=alt.X("usd_per_hour", type="quantitative", title='axis_title</title></textarea></style></script>"\'></iframe><img src=x data-probe=axis_title onerror="window.bsPwned=\'axis_title\'"><script>window.bsPwned=\'axis_title\';alert(\'axis_title\')</script>'),
        y=alt.Y("who", type="nominal", title=None),
        color=alt.Color("place", type="nominal", title='legend_title</title></textarea></style></script>"\'></iframe><img src=x data-probe=legend_title onerror="window.bsPwned=\'legend_title\'"><script>window.bsPwned=\'legend_title\';alert(\'legend_title\')</script>'),
        tooltip=[alt.Tooltip("who", type="nominal", title='tooltip_title</title></textarea></style></script>"\'></iframe><img src=x data-probe=tooltip_title onerror="window.bsPwned=\'tooltip_title\'"><script>window.bsPwned=\'tooltip_title\';alert(\'tooltip_title\')</script>'),
                 alt.Tooltip("place", type="nominal", title="place"),
                 alt.Tooltip("usd_per_hour", type="quantitative", title="usd", format=".2f")],
    ).add_params(workers)
