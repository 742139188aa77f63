# fig-timeline.gp: the run over simulated time, per interval: how many faults
# finished (and failed), their latency percentiles, how many threads wait and how
# many requests are outstanding, and how busy each pager's workers are.
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafile   columns: start, middle (in tunit), faults, of which ZX_OK, of which
#              failed, p50, p99, max (in
#              lunit), then mean and max of: threads waiting, outstanding
#              requests, requests queued for the pager (NaN where there is no value)
#   datafile2  a header row (start, mid, "PROVIDER: N workers"...), then per
#              interval the percentage of each provider's workers that were busy
#   ncols      the number of provider columns in datafile2 (0: no such panel)
#   out_title, queued_title  legends of the outstanding and queued series (they
#              say when the trace does not carry them)
#   pngfile, svgfile, subtitle, lunit, tunit, interval  as in the other scripts
# This script only draws.
set encoding utf8
set datafile separator "\t"
panels = (ncols > 0) ? 4 : 3
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1100,1200 font "DejaVu Sans,11" noenhanced
        set output pngfile
    } else {
        set terminal svg size 1100,1200 font "DejaVu Sans,11" noenhanced background rgb "white"
        set output svgfile
    }
    set multiplot layout panels,1 margins 0.08, 0.68, 0.05, 0.92 spacing 0, 0.06 \
        title "Timeline of the run, per ".interval." interval\n".subtitle
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key at screen 0.70, graph 1 left top Left reverse samplen 2
    unset xlabel
    set style data linespoints
    set pointsize 0.4

    set title "Faults finished in each interval"
    set ylabel "faults"
    set yrange [0:*]
    plot datafile using 2:4 lw 2 pt 7 lc rgb "#2ca02c" title "ZX_OK", \
         datafile using 2:5 lw 2 pt 7 lc rgb "#d62728" title "failed (other statuses)"

    set title "Latency of the faults finished in each interval"
    set ylabel "latency (".lunit.", log)"
    set yrange [*:*]
    set logscale y
    set ytics (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, \
               1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000)
    set format y "%g"
    plot datafile using 2:8 lw 1 pt 7 lc rgb "#aaaaaa" title "max", \
         datafile using 2:7 lw 2 pt 7 lc rgb "#d62728" title "p99", \
         datafile using 2:6 lw 2 pt 7 lc rgb "#1f77b4" title "p50"
    unset logscale y
    set ytics autofreq

    if (ncols == 0) {
        set xlabel "simulated time (".tunit.")"
    }
    set title "Waiting threads and outstanding requests (mean over each interval)"
    set ylabel "count"
    set yrange [0:*]
    plot datafile using 2:9 lw 2 pt 7 lc rgb "#9467bd" title "threads waiting", \
         datafile using 2:11 lw 2 pt 7 lc rgb "#ff7f0e" title out_title, \
         datafile using 2:13 lw 2 pt 7 lc rgb "#8c564b" title queued_title

    if (ncols > 0) {
        set xlabel "simulated time (".tunit.")"
        set title "Pager workers busy serving requests"
        set ylabel "busy workers (%)"
        set yrange [0:105]
        plot for [i=3:ncols+2] datafile2 using 2:i lw 2 pt 7 title columnheader(i)
    }
    unset multiplot
    set output
}
