# fig-timeline.gp: the run over simulated time, per interval: the rate of faults
# finished (and failed), their latency percentiles, how many threads wait, how
# many requests are outstanding or queued, and how busy each pager's workers are.
# A partial last interval is normalised by its span (rates per second, means and
# busy fractions over the time it covers).
#
# Drawn by `pagesim plot DIR`, which computes the data and passes, with -e:
#   datafile   columns: start, middle (in tunit), faults, ok, failed, p50, p99,
#              max (in lunit; p50 needs 1 fault, p99 100, else NaN), then mean
#              and max of: threads waiting, outstanding requests, requests queued
#              for the pager (NaN where there is no value), then faults, ok and
#              failed per second, and the interval's span
#   datafile2  a header row (start, mid, "PROVIDER: N workers"...), then per
#              interval the percentage of each provider's workers that were busy
#   ncols      the number of provider columns in datafile2 (0: no such panel)
#   datafile3  a header row (start, mid, then per device: busy %, reads in
#              service, reads waiting for a slot, reads per second), then one
#              row per interval; ndev devices (0: no device panels)
#   memory     1: the run has a memory section: a panel of resident pages
#              (datafile columns 20, 21) and pages reclaimed per second (19)
#   lock       1: the run waited for a VMO lock: a panel of the mean number
#              queued for one (datafile column 22)
#   out_title, queued_title  legends of the outstanding and queued series
#   tlo, thi, tticks_small  the latency panel's range and ticks
#   xbegin, xend  the time the timeline covers (tunit)
#   pngfile, svgfile, subtitle, lunit, tunit, interval  as in the other scripts
# This script only draws.
set encoding utf8
set datafile separator "\t"
panels = 4 + (ncols > 0) + (ndev > 0 ? 3 : 0) + (memory ? 1 : 0) + (lock ? 1 : 0)
height = 150 + 250 * panels
# The time axis is labelled on the last panel only.
last_util = (ndev == 0 && !memory && !lock)
last_dev = (!memory && !lock)
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1100,height font "DejaVu Sans,11" noenhanced
        set output pngfile
    } else {
        set terminal svg size 1100,height font "DejaVu Sans,11" noenhanced background rgb "white"
        set output svgfile
    }
    set multiplot layout panels,1 margins 0.09, 0.68, 0.25 / panels, 1 - 0.45 / panels \
        spacing 0, 0.3 / panels \
        title "Timeline of the run, per ".interval." interval\n".subtitle
    set grid xtics ytics lc rgb "#c8c8c8" dt 2
    set key at screen 0.70, graph 1 left top Left reverse samplen 2
    unset xlabel
    set style data linespoints
    set pointsize 0.4
    set xrange [xbegin:xend]

    set title "Faults finished per second"
    set ylabel "faults / s"
    set yrange [0:*]
    plot datafile using 2:16 lw 2 pt 7 lc rgb "#2ca02c" title "ZX_OK", \
         datafile using 2:17 lw 2 pt 7 lc rgb "#d62728" title "failed (other statuses)"

    set title "Latency of the faults finished in each interval"
    set ylabel "latency (log)"
    set logscale y
    set yrange [tlo:thi]
    eval("set ytics ".tticks_small)
    plot datafile using 2:8 lw 1 pt 7 lc rgb "#888888" title "max", \
         datafile using 2:7 lw 2 pt 7 lc rgb "#d62728" title "p99 (intervals with >= 100 faults)", \
         datafile using 2:6 lw 2 pt 7 lc rgb "#1f77b4" title "p50"
    unset logscale y
    set ytics autofreq

    set title "Threads waiting in PageRequest::Wait (mean and max over each interval)"
    set ylabel "threads"
    set yrange [0:*]
    plot datafile using 2:10 lw 1 dt 2 pt 0 lc rgb "#9467bd" title "max", \
         datafile using 2:9 lw 2 pt 7 lc rgb "#9467bd" title "mean"

    if (ncols == 0 && ndev == 0 && !memory) {
        set xlabel "simulated time (".tunit.")"
    }
    set title "Requests outstanding and queued for the pager (mean over each interval)"
    set ylabel "requests"
    plot datafile using 2:11 lw 2 pt 7 lc rgb "#ff7f0e" title out_title, \
         datafile using 2:13 lw 2 pt 7 lc rgb "#8c564b" title queued_title

    if (ncols > 0) {
        if (last_util) {
            set xlabel "simulated time (".tunit.")"
        }
        set title "Pager workers busy serving requests"
        set ylabel "busy workers (%)"
        set yrange [0:105]
        plot for [i=3:ncols+2] datafile2 using 2:i lw 2 pt 7 title columnheader(i)
    }
    if (ndev > 0) {
        set title "Devices: time with a read in service"
        set ylabel "busy (%)"
        set yrange [0:105]
        plot for [d=0:ndev-1] datafile3 using 2:(column(3 + 4 * d)) lw 2 pt 7 \
            title columnheader(3 + 4 * d)
        set title "Device queues: reads in service and waiting for a slot (mean)"
        set ylabel "reads"
        set yrange [0:*]
        plot for [d=0:ndev-1] datafile3 using 2:(column(4 + 4 * d)) lw 2 pt 7 \
                title columnheader(4 + 4 * d), \
             for [d=0:ndev-1] datafile3 using 2:(column(5 + 4 * d)) lw 2 dt 2 pt 6 \
                title columnheader(5 + 4 * d)
        if (last_dev) {
            set xlabel "simulated time (".tunit.")"
        }
        set title "Device reads submitted per second"
        set ylabel "reads / s"
        plot for [d=0:ndev-1] datafile3 using 2:(column(6 + 4 * d)) lw 2 pt 7 \
            title columnheader(6 + 4 * d)
    }
    if (memory) {
        if (!lock) {
            set xlabel "simulated time (".tunit.")"
        }
        set title "Memory: resident pages (mean, max) and pages evicted by reclaim"
        set ylabel "resident pages"
        set yrange [0:*]
        set y2label "evicted pages / s"
        set y2range [0:*]
        set y2tics
        set key at screen 0.79, graph 1 left top Left reverse samplen 2
        plot datafile using 2:21 axes x1y1 lw 1 dt 2 pt 0 lc rgb "#17becf" title "resident max", \
             datafile using 2:20 axes x1y1 lw 2 pt 7 lc rgb "#17becf" title "resident (mean)", \
             datafile using 2:19 axes x1y2 lw 2 pt 7 lc rgb "#e377c2" title "evicted by reclaim / s"
        unset y2tics
        unset y2label
    }
    if (lock) {
        set xlabel "simulated time (".tunit.")"
        set title "Waiting for a VMO lock (threads, pager workers and actions queued; mean)"
        set ylabel "queued for a lock"
        set yrange [0:*]
        set key at screen 0.70, graph 1 left top Left reverse samplen 2
        plot datafile using 2:22 lw 2 pt 7 lc rgb "#8c564b" title "queued for a VMO lock (mean)"
    }
    unset multiplot
    set output
}
