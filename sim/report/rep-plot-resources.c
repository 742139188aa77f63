/* The devices' data file of the timeline figure (see rep-plot-data.h). */
#include <inttypes.h>

#include "sim/report/rep-plot-data.h"

gboolean rep_plot_write_devices(const RepTimeline *tl, RepUnit tu, FILE *out, GError **error) {
    fprintf(out,
            "# time in %s; per device: %% of the interval with a read in service, mean reads "
            "in service, mean reads waiting for a slot, reads submitted per second\n",
            tu.label);
    fprintf(out, "# the next row names the columns (tab-separated)\n");
    fputs("start\tmid", out);
    for (guint d = 0; d < rep_timeline_n_devices(tl); d++) {
        const char *name = rep_timeline_device(tl, d);
        fprintf(out, "\t%s busy\t%s in service\t%s waiting\t%s reads/s", name, name, name, name);
    }
    fputc('\n', out);
    for (guint i = 0; i < rep_timeline_n(tl); i++) {
        double x0 = (double)rep_timeline_start(tl, i) / tu.ns;
        uint64_t span = rep_timeline_span(tl, i);
        double width = (double)span / tu.ns;
        fprintf(out, "%.9g\t%.9g", x0, x0 + width / 2);
        for (guint d = 0; d < rep_timeline_n_devices(tl); d++) {
            RepTimelineDeviceIo io = rep_timeline_device_io(tl, d, i);
            fprintf(out, "\t%.6g\t%.6g\t%.6g\t%.6g", 100.0 * io.busy, io.in_service, io.queued,
                    span ? (double)io.reads * 1e9 / (double)span : 0.0);
        }
        fputc('\n', out);
    }
    if (fflush(out) != 0 || ferror(out)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write the devices data");
        return FALSE;
    }
    return TRUE;
}
