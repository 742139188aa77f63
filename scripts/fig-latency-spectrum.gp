# fig-latency-spectrum.gp: the percentile spectrum of fault latency, in the
# manner of HdrHistogram's plots: the latency at each percentile, on an axis of
# 1/(1-p) so that 90%, 99%, 99.9%, ... are evenly spaced and the tail is visible.
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafile  columns: 1/(1-p), latency at percentile p (in lunit), p (%)
#   stats     the headline percentiles, as text
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
    set title "Fault latency by percentile\n".subtitle."\n".stats
    set xlabel "percentile (axis spaced by 1/(1 - percentile))"
    set ylabel "fault latency (".lunit.")"
    set logscale x
    set xrange [1:*]
    set yrange [0:*]
    set xtics ("0%%" 1, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 10000, \
               "99.999%%" 100000, "99.9999%%" 1000000, "99.99999%%" 10000000)
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key off
    plot datafile using 1:2 with lines lw 2 lc rgb "#d62728"
    set output
}
