# fig-latency-cdf.gp: the cumulative distribution of fault latency.
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafile  columns: latency (in lunit), fraction of faults at or below it
#   pngfile, svgfile  the outputs
#   subtitle  the run (scenario, seed, policy, faults)
#   lunit     the unit of the data; tick labels carry their own unit
#   xlo, xhi, xticks, xnote  the x range (0.1th percentile to max), its tick list
#             and a note saying where it starts
# This script only draws.
set encoding utf8
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1000,600 font "DejaVu Sans,11" noenhanced
        set output pngfile
    } else {
        set terminal svg size 1000,600 font "DejaVu Sans,11" noenhanced background rgb "white"
        set output svgfile
    }
    set title "Fault latency: cumulative distribution\n".subtitle
    set xlabel "fault latency (log scale)".(xnote ne "" ? "; ".xnote : "")
    set ylabel "fraction of faults with this latency or less"
    set logscale x
    set xrange [xlo:xhi]
    eval("set xtics ".xticks)
    set mxtics default
    set yrange [0:1]
    set ytics 0.1
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key off
    plot datafile using 1:2 with lines lw 2 lc rgb "#1f77b4"
    set output
}
