# fig-compare-spectrum.gp: the fault latency percentile spectra of several
# batching policies, overlaid, on a log 1/(1-p) axis (HdrHistogram style).
#
# Drawn by `pagesim compare`, which computes the data and passes, with -e:
#   datafiles  space-separated data files, one per policy; columns: 1/(1-p),
#              latency at percentile p (in lunit), p (%)
#   titles     space-separated policy names, in the same order
#   pngfile, svgfile  the outputs
#   subtitle   the scenario and seed
#   lunit      the latency unit ("µs", "ms", ...)
# Overlapping policies (identical requests) are told apart by dash type.
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
    set title "Fault latency by batching policy: percentile spectrum\n".subtitle
    set xlabel "percentile (log scale of 1/(1-p))"
    set ylabel "fault latency (".lunit.")"
    set logscale x
    set xtics ("0%%" 1, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 10000, "99.999%%" 100000, \
               "99.9999%%" 1000000)
    set autoscale xfix
    set yrange [0:*]
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key right bottom box opaque title "policy"
    plot for [i=1:words(datafiles)] word(datafiles, i) using 1:2 with lines lw 2 dt i title word(titles, i)
    set output
}
