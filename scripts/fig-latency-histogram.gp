# fig-latency-histogram.gp: how fault latencies are distributed, as a density
# over log latency: bins of an eighth of a power of two (equal widths on the log
# axis, edges on the histogram's buckets), each bar's height the share of all
# faults per decade of latency, so a bar's area is its share and a smooth
# distribution draws a smooth outline whatever the bin widths.
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafile  columns: bin center, bin low, bin high (in lunit), faults, percent,
#             density (percent per decade)
#   hlo, xhi, hticks  the x range (min to max) and its ticks
#   pngfile, svgfile, subtitle, lunit  as in fig-latency-cdf.gp
# This script only draws.
set encoding utf8
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1000,800 font "DejaVu Sans,11" noenhanced
        set output pngfile
    } else {
        set terminal svg size 1000,800 font "DejaVu Sans,11" noenhanced background rgb "white"
        set output svgfile
    }
    set multiplot layout 2,1 margins 0.09, 0.97, 0.08, 0.90 spacing 0, 0.09 \
        title "Fault latency: density over log latency (8 bins per doubling)\n".subtitle
    set logscale x
    set xrange [hlo:xhi]
    eval("set xtics ".hticks)
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key off
    set title "Linear scale: where the faults are (a bar's area is its share of faults)"
    set ylabel "% of faults per decade"
    set yrange [0:*]
    plot datafile using 1:6:2:3:(0):6 with boxxyerror fs solid 0.7 border lc rgb "#1a6e1a" fc rgb "#2ca02c"
    set title "Log scale: the same densities at each bin's centre, to show the tail"
    set xlabel "fault latency (log scale)"
    set logscale y
    set yrange [*:*]
    set format y "%g"
    plot datafile using 1:6 with linespoints lw 1.5 pt 7 ps 0.6 lc rgb "#1a6e1a"
    unset multiplot
    unset logscale y
    unset xlabel
    set output
}
