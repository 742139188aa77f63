# fig-validate-cdf.gp: the fault-latency CDFs of the real pager and of the
# calibrated simulation of the same scenario, overlaid.
#
# Drawn by scripts/validate-real, which passes, with -e:
#   realfile, simfile  columns: latency in µs, fraction of faults at or below it
#   pngfile            the output
#   subtitle           the scenario and the table's figures
# This script only draws.
set encoding utf8
set terminal pngcairo size 1000,600 font "DejaVu Sans,11" noenhanced
set output pngfile
set title "Fault latency: real pager vs calibrated pagesim\n".subtitle
set xlabel "fault latency (µs, log scale)"
set ylabel "fraction of faults with this latency or less"
set logscale x
set format x "%g"
set yrange [0:1]
set ytics 0.1
set grid xtics mxtics ytics lc rgb "#c8c8c8" dt 2
set key bottom right
plot realfile using 1:2 with steps lw 2 lc rgb "#d62728" title "real (userfaultfd)", \
     simfile using 1:2 with steps lw 2 lc rgb "#1f77b4" title "pagesim (calibrated)"
set output
