# fig-latency-histogram.gp: how fault latencies are distributed, in bins of an
# eighth of a power of two (equal widths on the log axis).
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafile  columns: bin center, bin low, bin high (in lunit), faults, percent,
#             base (where bars start on the log axis)
#   pngfile, svgfile, subtitle, lunit  as in fig-latency-cdf.gp
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
    set title "Fault latency histogram (8 bins per doubling of latency)\n".subtitle
    set xlabel "fault latency (".lunit.", log scale)"
    set ylabel "share of all faults in the bin (%, log scale)"
    set logscale x
    set xtics (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, \
               1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000)
    set format x "%g"
    set autoscale xfix
    set logscale y
    set format y "%g"
    set grid xtics mxtics ytics lc rgb "#c8c8c8" dt 2
    set key off
    plot datafile using 1:5:2:3:6:5 with boxxyerror fs solid 0.7 border lc rgb "#1a6e1a" fc rgb "#2ca02c"
    set output
}
