# fig-sweep-cdf.gp: fault latency CDFs of the points of a sweep, overlaid (each
# point's runs merged).
#
# Drawn by `pagesim sweep`, which computes the data and passes, with -e:
#   datafiles  space-separated data files, one per point; columns: latency (in
#              lunit), fraction of faults at or below it
#   titles     space-separated point names, in the same order
#   pngfile, svgfile  the outputs
#   subtitle   the scenario and seeds
#   lunit      the latency unit ("µs", "ms", ...)
# Overlapping points are told apart by dash type.
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
    set title "Fault latency by sweep point: cumulative distribution\n".subtitle
    set xlabel "fault latency (".lunit.", log scale)"
    set ylabel "fraction of faults with this latency or less"
    set logscale x
    set xtics (0.001, 0.0015, 0.002, 0.003, 0.005, 0.007, 0.01, 0.015, 0.02, 0.03, 0.05, 0.07, \
               0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, \
               150, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10000, 15000, \
               20000, 30000, 50000, 70000, 100000, 150000, 200000, 300000, 500000, 700000, \
               1e+06)
    set format x "%g"
    set autoscale xfix
    set yrange [0:1]
    set ytics 0.1
    set grid xtics mxtics ytics lc rgb "#c8c8c8" dt 2
    set key right bottom box opaque title "point"
    plot for [i=1:words(datafiles)] word(datafiles, i) using 1:2 with lines lw 2 dt i title word(titles, i)
    set output
}
