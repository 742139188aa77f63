/* The scenario error domain. Every recoverable problem with a scenario file, an
 * override or a unit string is reported through a GError in SCN_ERROR whose message
 * is complete and ready to print: content errors read "FILE: $.json.path: message",
 * syntax errors read "FILE:LINE:COL: message", and errors from the unit parsers
 * (scn-units.h) carry only the message, since they know no file. The CLI prints
 * error->message as is and exits 2.
 */
#pragma once

#include <glib.h>

#define SCN_ERROR (scn_error_quark())

GQuark scn_error_quark(void);

typedef enum {
    SCN_ERROR_IO,          /* the file could not be opened or read (strerror in the text) */
    SCN_ERROR_SYNTAX,      /* not well-formed JSON, an empty file, trailing garbage,
                              a duplicate key in one object: "FILE:LINE:COL: ..." */
    SCN_ERROR_UNKNOWN_KEY, /* a key the format does not know at that place */
    SCN_ERROR_MISSING,     /* a required key is absent */
    SCN_ERROR_TYPE,        /* a value of the wrong JSON type */
    SCN_ERROR_VALUE,       /* right type, bad value: range, unit, alignment, name of an
                              enumerated value, distribution parameters */
    SCN_ERROR_DUPLICATE,   /* two providers, VMOs, workloads or threads share a name */
    SCN_ERROR_REFERENCE,   /* a name that refers to nothing suitable, or a range that
                              reaches beyond its VMO */
    SCN_ERROR_OVERRIDE,    /* a PATH=VALUE override that is malformed or names no
                              place in the document */
    SCN_ERROR_CODE_COUNT
} ScnError;
