# fig-latency-cdf-split.gp: fault latency CDFs of one run split by final status
# or by workload, overlaid (drawn only when the run has more than one of them
# with faults).
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafiles  space-separated data files, one per status or workload; each has
#              a header row (latency, then the split's name and fault count)
#              and then columns: latency (in lunit), fraction of the split's
#              faults at or below it
#   what       "final status" or "workload"
#   pngfile, svgfile  the outputs
#   subtitle   the scenario, seed and policy
#   lunit      the unit of the data; tick labels carry their own unit
#   xlo, xhi, xticks, xnote  the x range over all the run's faults, its ticks,
#              and a note
# Each curve is normalised to its own faults: the fault counts are in the legend.
# Colours are distinct on white and curves also differ by dash type. The legend
# sits below the plot, never on the data. This script only draws.
set encoding utf8
set datafile separator "\t"
colors = "#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b #e377c2 #17becf #000000"
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1000,650 font "DejaVu Sans,11" noenhanced
        set output pngfile
    } else {
        set terminal svg size 1000,650 font "DejaVu Sans,11" noenhanced background rgb "white"
        set output svgfile
    }
    set title "Fault latency by ".what.": cumulative distribution\n".subtitle
    set xlabel "fault latency (log scale)".(xnote ne "" ? "; ".xnote : "")
    set ylabel "fraction of the faults with this latency or less"
    set logscale x
    set xrange [xlo:xhi]
    eval("set xtics ".xticks)
    set yrange [0:1]
    set ytics 0.1
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key outside below center horizontal box title what
    set bmargin 8
    plot for [i=1:words(datafiles)] word(datafiles, i) using 1:2 with lines lw 2 dt i \
        lc rgb word(colors, (i - 1) % words(colors) + 1) title columnheader(2)
    set output
}
