# fig-sweep-metric.gp: one metric of a sweep against the swept parameter, with
# 95% confidence bars, one line per policy (or per combination of the other
# swept values).
#
# Drawn by `pagesim sweep`, which computes the data and passes, with -e:
#   datafile   one block per line, blocks separated by two blank lines; columns:
#              x position (0, 1, ...: the values in the order given), x label,
#              mean, low and high end of the 95% interval (in the unit of ylabel)
#   titles     space-separated line titles, in block order
#   xlabel     the swept parameter's path ("policy" when only policies vary)
#   ylabel     what the metric is, and its unit
#   pngfile, svgfile  the outputs
#   subtitle   the scenario and seeds
# Lines are shifted a little sideways so that their bars do not hide each other.
# This script only draws.
set encoding utf8
n = words(titles)
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1000,600 font "DejaVu Sans,11" noenhanced
        set output pngfile
    } else {
        set terminal svg size 1000,600 font "DejaVu Sans,11" noenhanced background rgb "white"
        set output svgfile
    }
    set title ylabel." against ".xlabel."\n".subtitle
    set xlabel xlabel
    set ylabel ylabel
    set offsets 0.4, 0.4, 0, 0
    set yrange [0:*]
    set grid ytics lc rgb "#c8c8c8" dt 2
    set key outside right top box
    plot datafile index 0 using 1:(NaN):xticlabels(2) notitle, \
        for [i=1:n] datafile index (i-1) using ($1 + (i - 1 - (n - 1) / 2.0) * 0.06):3:4:5 \
        with yerrorlines lw 2 pt 7 title word(titles, i)
    set output
}
