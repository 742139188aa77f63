# fig-latency-heatmap.gp: fault latency over simulated time. Each column is one
# interval of the run; each cell's colour is the rate (faults per second of the
# interval) of the faults that finished in that interval with a latency in that
# bin (8 log bins per doubling). A partial last interval is drawn narrower and
# its rate is per its own span. Empty cells are white.
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafile  columns: x, y, x low, x high (in tunit), y low, y high (in lunit),
#             faults, rate (per second)
#   tlo, thi, tticks  the latency range of the faults (log) and its ticks
#   cblo, cbhi, cbticks  the colour bar's range and ticks
#   pngfile, svgfile, subtitle, lunit as in fig-latency-cdf.gp
#   tunit     the time unit; interval  the interval length ("10 ms")
#   xbegin, xend  the time the run covers (tunit)
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
    set title "Fault latency over time (".interval." intervals, 8 latency bins per doubling)\n".subtitle
    set xlabel "simulated time (".tunit.")"
    set ylabel "fault latency (log scale)"
    set cblabel "faults per second in the cell (log scale)" offset 2.5,0
    set rmargin 14
    set logscale y
    set yrange [tlo:thi]
    eval("set ytics ".tticks)
    set logscale cb
    set cbrange [cblo:cbhi]
    eval("set cbtics ".cbticks)
    set xrange [xbegin:xend]
    set palette defined (0 "#440154", 1 "#3b528b", 2 "#21918c", 3 "#5ec962", 4 "#fde725")
    set grid xtics ytics front lc rgb "#bbbbbb"
    set key off
    plot datafile using 1:2:3:4:5:6:8 with boxxyerror fs solid 1.0 noborder lc palette
    set output
}
