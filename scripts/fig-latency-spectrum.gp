# fig-latency-spectrum.gp: the percentile spectrum of fault latency, in the
# manner of HdrHistogram's plots: the latency at each percentile, on an axis of
# 1/(1-p) so that 90%, 99%, 99.9%, ... are evenly spaced and the tail is visible.
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafile  columns: 1/(1-p), latency at percentile p (in lunit), p (%); the
#             last row is the exact maximum at 1/(1-p) = number of faults
#   stats     the headline percentiles, as text
#   xmax, pticks  the last sample's position and the percentile tick list
#   ylo, yhi, yticks  the latency range (min to max, log) and its ticks
#   maxv, maxlabel  the maximum (lunit) and its label; sparse_x  where fewer than 10 faults remain
#   pngfile, svgfile, subtitle, lunit  as in fig-latency-cdf.gp
# A step between two levels is drawn at the higher one (fsteps): every latency
# shown was reached by a fault at or before that percentile.
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
    set ylabel "fault latency (log scale)"
    set logscale xy
    set xrange [1:xmax * 1.5]
    set yrange [ylo:yhi]
    eval("set xtics ".pticks)
    eval("set ytics ".yticks)
    set rmargin 6
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key left top box opaque
    if (sparse_x < xmax) {
        set object 1 rect from sparse_x, graph 0 to graph 1, graph 1 behind \
            fc rgb "#f0f0f0" fs solid 1.0 noborder
        set label 1 "fewer than 10 faults\nbeyond this point" at sparse_x, graph 0.08 \
            offset 0.5, 0 left tc rgb "#777777"
    }
    plot datafile using 1:2 with fsteps lw 2 lc rgb "#d62728" title "latency at percentile", \
         "+" using (xmax):(maxv) every ::0::0 with points pt 7 ps 1.3 lc rgb "#000000" \
             title maxlabel
    unset object 1
    unset label 1
    set output
}
