/*
 * text.h -- sentence splitting and tokenization of one document.
 *
 * tx_segment() cuts a UTF-8 document into sentences and each sentence into
 * tokens whose normalized form (ASCII uppercased, curly quotes made
 * straight) is what the dictionaries are matched against.  Every token and
 * sentence keeps its byte offsets into the document, so that events can
 * point back at the words that produced them.  See text.c for the rules.
 *
 *     tx_doc d;
 *     tx_doc_init(&d);
 *     if (tx_segment(&d, text, len) != 0) ...;     // out of memory
 *     for (size_t i = 0; i < d.nsent; i++)
 *         for (uint32_t k = 0; k < d.sent[i].count; k++) {
 *             const tx_token *t = &d.tok[d.sent[i].first + k];
 *             puts(d.normbuf + t->norm);            // "GONDOR", "'S", ...
 *         }
 *     tx_doc_free(&d);
 *
 * A tx_doc is reset, not freed, between documents: its arrays keep their
 * memory.  It borrows nothing from the text; offsets refer to it.
 */
#ifndef MAGPIE_TEXT_H
#define MAGPIE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "magpie.h"

/* Token kinds. */
enum {
    TX_WORD = 1,  /* a word, abbreviation ("U.S.", "MR.") or clitic ("'RE") */
    TX_NUM,       /* a word starting with a digit: "4,000", "5.93", "12-YEAR" */
    TX_PUNCT,     /* punctuation: . ! ? ; : ( ) " -- $ ... */
    TX_COMMA,     /* , */
    TX_POSS,      /* possessive 'S or a lone ' after a plural; also 'S of "it's" */
    TX_NEG        /* N'T of a contraction: "didn't" -> DID N'T */
};

/* Token flags. */
enum {
    TX_CAP = 1,    /* the first ASCII letter is uppercase */
    TX_ALLCAP = 2, /* at least two ASCII letters and none lowercase */
    TX_QUOTE = 4,  /* an opening or closing quote character (" ' ` and curly ones) */
    TX_END = 8     /* the punctuation (or abbreviation) that ended its sentence */
};

/* tx_token.hash is the 32-bit FNV-1a hash of the normalized form's nlen
 * bytes (not its NUL): h = TX_HASH_BASIS, then for each byte c,
 * h = (h ^ c) * TX_HASH_PRIME, modulo 2^32.  Hash dictionary words the same
 * way to compare them with tokens without hashing the tokens again. */
#define TX_HASH_BASIS 2166136261u
#define TX_HASH_PRIME 16777619u

typedef struct {
    uint32_t start, end; /* byte offsets into the document text [start,end) */
    uint32_t norm, nlen; /* normalized form: bytes [norm, norm+nlen) of tx_doc.normbuf,
                            NUL-terminated there */
    uint32_t hash;       /* FNV-1a of the normalized form, see above */
    uint8_t kind, flags;
} tx_token;

typedef struct {
    uint32_t start, end;   /* byte span of the sentence in the text */
    uint32_t first, count; /* its tokens: tok[first .. first+count) */
} tx_sent;

typedef struct {
    tx_token *tok;
    size_t ntok, captok;
    tx_sent *sent;
    size_t nsent, capsent;
    char *normbuf;
    size_t normlen, normcap;
    mp_span dateline; /* {0,0} if none */
} tx_doc;

/* Largest text tx_segment() accepts (offsets are 32-bit and normbuf may need
 * twice the text). */
#define TX_MAX_LEN ((size_t)0x7ffffff0u)

/* Make an empty document; it owns no memory yet. */
void tx_doc_init(tx_doc *d);

/* Free the document's arrays and leave it empty (as after tx_doc_init).
 * Accepts NULL. */
void tx_doc_free(tx_doc *d);

/* Reset d (keeping its memory) and segment text[0..len), which is valid
 * UTF-8 and borrowed only for the call.  Every token belongs to exactly one
 * sentence, in order, except the tokens of a dateline, which are not made.
 * Returns 0; -1 on allocation failure; -2 if len > TX_MAX_LEN.  On failure
 * d is left empty (no tokens, no sentences) but keeps its memory. */
int tx_segment(tx_doc *d, const char *text, size_t len);

#endif
