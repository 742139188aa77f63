# fig-latency-heatmap.gp: fault latency over simulated time. Each column is one
# interval of the run; each cell counts the faults that finished in that interval
# with a latency in that bin (8 bins per doubling). Empty cells are white.
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafile  columns: x, y, x low, x high (in tunit), y low, y high (in lunit), faults
#   pngfile, svgfile, subtitle, lunit as in fig-latency-cdf.gp
#   tunit     the time unit; interval  the interval length ("10 ms")
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
    set title "Fault latency over time (faults per ".interval." interval and latency bin)\n".subtitle
    set xlabel "simulated time (".tunit.")"
    set ylabel "fault latency (".lunit.", log scale)"
    set cblabel "faults (log scale)"
    set logscale y
    set ytics (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, \
               1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000)
    set format y "%g"
    set logscale cb
    set palette defined (0 "#440154", 1 "#3b528b", 2 "#21918c", 3 "#5ec962", 4 "#fde725")
    set grid xtics ytics front lc rgb "#bbbbbb"
    set key off
    plot datafile using 1:2:3:4:5:6:7 with boxxyerror fs solid 1.0 noborder lc palette
    set output
}
