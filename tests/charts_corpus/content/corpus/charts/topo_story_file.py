import altair as alt

TITLE = "A TopoJSON file by address"
ALT = "Two cells of a grid, west and east."


def chart(data, facts):
    cells = alt.topo_feature("data/grid.topojson", "cells")
    return alt.Chart(cells).mark_geoshape().encode(color="properties.name:N").project("equirectangular")
