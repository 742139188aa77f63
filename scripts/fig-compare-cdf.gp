# fig-compare-cdf.gp: fault latency CDFs of several batching policies, overlaid.
#
# Drawn by `pagesim compare`, which computes the data and passes, with -e:
#   datafiles  space-separated data files, one per policy; columns: latency (in
#              lunit), fraction of faults at or below it
#   titles     space-separated policy names, in the same order
#   pngfile, svgfile  the outputs
#   subtitle   the scenario and seed
#   lunit      the unit of the data; tick labels carry their own unit
#   xlo, xhi, xticks, xnote  the x range over every policy's faults (from the
#              0.1th percentile of all of them), its ticks, and a note
# Colours are distinct on white (no yellow or pale grey) and policies are also
# told apart by dash type, so overlapping curves (identical requests) stay
# visible. The legend sits below the plot, never on the data.
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
    set title "Fault latency by batching policy: cumulative distribution\n".subtitle
    set xlabel "fault latency (log scale)".(xnote ne "" ? "; ".xnote : "")
    set ylabel "fraction of faults with this latency or less"
    set logscale x
    set xrange [xlo:xhi]
    eval("set xtics ".xticks)
    set yrange [0:1]
    set ytics 0.1
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key outside below center horizontal box title "policy"
    set bmargin 8
    plot for [i=1:words(datafiles)] word(datafiles, i) using 1:2 with lines lw 2 dt i \
        lc rgb word(colors, (i - 1) % words(colors) + 1) title word(titles, i)
    set output
}
