# fig-miss-ratio.gp: miss-ratio curves, faults per access against the page
# cache's capacity, one line per reclaim policy.
#
# Drawn by scripts/miss-ratio-curve, which passes, with -e:
#   datafile  the TSV: capacity in MiB, then one column per policy (header names them)
#   pngfile   the output
#   subtitle  the scenario
# This script only draws.
set encoding utf8
set terminal pngcairo size 1000,600 font "DejaVu Sans,11" noenhanced
set output pngfile
set title "Miss-ratio curves by reclaim policy\n".subtitle
set xlabel "page cache capacity (MiB)"
set ylabel "faults per access"
set yrange [0:*]
set grid
set key top right
set datafile separator "\t"
plot for [col=2:5] datafile using 1:col with linespoints lw 2 pt (col+3) title columnhead(col)
