/*
 * acled.h -- the ACLED view of a CAMEO event: event type and sub-event type.
 *
 * data/acled.tsv maps a CAMEO code, with conditions on the sentence's words
 * and the actors' roles, to one of ACLED's event types and sub-event types
 * (docs/taxonomies.md).  acled_load() reads that table from text (the file,
 * or the copy compiled into the library); acled_classify() answers for one
 * event.
 *
 *     acled_table *t;
 *     if (acled_load(text, len, &t, err, sizeof err) != MP_OK) ...;
 *     const char *type, *sub;
 *     if (acled_classify(t, "190", &doc, sent, "SYRMIL", "SYRCVL", &type, &sub))
 *         printf("%s / %s\n", type, sub);      // Violence against civilians / Attack
 *     acled_free(t);
 *
 * A loaded table is read-only and may be shared by threads.
 */
#ifndef MAGPIE_ACLED_H
#define MAGPIE_ACLED_H

#include <stddef.h>

#include "magpie.h"
#include "text.h"

typedef struct acled_table acled_table;

/* Parse the table text[0..len) (borrowed for the call).  *out is owned by
 * the caller (acled_free).  Returns MP_OK, MP_ERR_NOMEM, or MP_ERR_SYNTAX
 * with "line N: reason" in err[0..errcap) when a row is malformed. */
int acled_load(const char *text, size_t len, acled_table **out /* OUT */, char *err, size_t errcap);
void acled_free(acled_table *t);

/* Number of rows. */
size_t acled_rows(const acled_table *t);

/* The ACLED event type and sub-event type of an event with CAMEO code
 * code in sentence sent of d, with source and target actor codes (either
 * may be NULL).  Rows of the code itself are tried first, then of its
 * three-digit parent, then of its root.  Returns 1 and sets *type and *sub
 * (NUL-terminated strings borrowed from t), or 0 if no row applies. */
int acled_classify(const acled_table *t, const char *code, const tx_doc *d, size_t sent,
                   const char *source, const char *target, const char **type /* OUT */,
                   const char **sub /* OUT */);

#endif
