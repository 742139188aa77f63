# fig-compare-spectrum.gp: the fault latency percentile spectra of several
# batching policies, overlaid, on a log 1/(1-p) axis (HdrHistogram style).
#
# Drawn by `pagesim compare`, which computes the data and passes, with -e:
#   datafiles  space-separated data files, one per policy; columns: 1/(1-p),
#              latency at percentile p (in lunit), p (%); each ends at its exact
#              maximum
#   titles     space-separated policy names, in the same order
#   pngfile, svgfile  the outputs
#   subtitle   the scenario and seed
#   lunit      the unit of the data; tick labels carry their own unit
#   xmax, pticks, ylo, yhi, yticks  ranges and ticks over every policy's faults
# Steps are drawn at the higher level (fsteps), as in fig-latency-spectrum.gp.
# Colours and legend as in fig-compare-cdf.gp.
# This script only draws.
set encoding utf8
colors = "#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b #e377c2 #17becf #000000"
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1000,650 font "DejaVu Sans,11" noenhanced
        set output pngfile
    } else {
        set terminal svg size 1000,650 font "DejaVu Sans,11" noenhanced background rgb "white"
        set output svgfile
    }
    set title "Fault latency by batching policy: percentile spectrum\n".subtitle
    set xlabel "percentile (log scale of 1/(1-p))"
    set ylabel "fault latency (log scale)"
    set logscale xy
    set xrange [1:xmax * 1.5]
    set yrange [ylo:yhi]
    eval("set xtics ".pticks)
    eval("set ytics ".yticks)
    set rmargin 6
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key outside below center horizontal box title "policy"
    set bmargin 8
    plot for [i=1:words(datafiles)] word(datafiles, i) using 1:2 with fsteps lw 2 dt i \
        lc rgb word(colors, (i - 1) % words(colors) + 1) title word(titles, i)
    set output
}
