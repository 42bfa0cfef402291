#!/usr/bin/env bash
# Checks a corpus that scripts/corpus.sh open OUT wrote: every .txt is valid UTF-8 without control characters, and no
# markup of its source is left (Brown's word/TAG pairs, groff requests and escapes, GCIDE pronunciations, source notes
# and character codes, WordNet's pointer fields, HTML tags). Prints each offending pattern with its count and first
# lines; exits 1 if any is found.
#   scripts/corpus-check.sh OUT
#   scripts/corpus-check.sh --self-test   runs the checks on small good and bad samples and fails if they misjudge one
set -euo pipefail

# Patterns (Perl regexes) per source folder; "all" applies to every folder.
declare -A PATTERNS=(
    [all]='\r|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]'
    [brown]='(?:^|\s)[^\s/]+/(?:at|nn|nns|np|nps|vb|vbd|vbg|vbn|vbz|in|jj|cc|cs|rb|cd|dt|dti|pps|ppss|ppo|md|bez|bed|hv|hvd|to|wdt|ql|ap|abn|\.|,|``|'\'''\'')(?:-tl|-hl|-nc|\$)*(?=\s|$)|``|'\'''\'''
    [sotu]='</?[a-z][a-z0-9]*(?:\s[^>]*)?>|&(?:[a-z]+|#\d+);'
    [gcide]='\\|[{}]|\[(?:[^]]*(?:Webster|WordNet|PJC)[^]]*)\]|\[[=.~"'\''`^,*-][A-Za-z]{1,2}\]|\[[A-Za-z]{1,2}[\^~]\]'
    [wordnet]='\||\b\d{8} [nvasr]\b|\w_\w'
    [manpages]='\\f[BIRPC(\[]|\\\([a-z][a-z]|\\\*\(|^\.(?:TH|SH|SS|PP|LP|TP|IP|BR|BI|IR|RB|RI|IB|nf|br|sp|ft|de|ie|EX|EE|RS|RE|UR|UE|MT|ME)(?:\s|$)|\x08'
    [gutenberg]='</?[a-z][a-z0-9]*(?:\s[^>]*)?>'
)

# check_folder DIR: 0 when clean, 1 (with a report on stderr) when not.
check_folder() {
    local dir=$1 name status=0 file pattern count
    name=$(basename "$dir")
    for file in "$dir"/*.txt; do
        [[ -f $file ]] || continue
        if ! iconv -f utf-8 -t utf-8 "$file" >/dev/null 2>&1; then
            echo "$file: not valid UTF-8" >&2; status=1; continue
        fi
        for pattern in "${PATTERNS[all]}" ${PATTERNS[$name]+"${PATTERNS[$name]}"}; do
            count=$(perl -CSD -ne 'BEGIN { $p = shift } $n++ if /$p/; END { print $n + 0 }' "$pattern" "$file")
            if [[ $count -gt 0 ]]; then
                echo "$file: $count line(s) match /$pattern/, e.g.:" >&2
                perl -CSD -ne 'BEGIN { $p = shift } if (/(.{0,40})($p)(.{0,40})/) { print "  line $.: ...$1>>$2<<$3...\n"; exit if ++$n == 3 }' \
                    "$pattern" "$file" >&2
                status=1
            fi
        done
    done
    return $status
}

check_corpus() {
    local out=$1 status=0 dir found=0
    for dir in "$out"/*/; do
        dir=${dir%/}
        [[ $(basename "$dir") == LICENSES ]] && continue
        found=1
        check_folder "$dir" || status=1
    done
    [[ $found -eq 1 ]] || { echo "$0: $out holds no source folder" >&2; return 1; }
    [[ $status -eq 0 ]] && echo "$out: no markup left" >&2
    return $status
}

# Each bad sample must be caught, each good one must pass: a check that cannot fail is worthless.
self_test() {
    local tmp failures=0 name line
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    declare -A bad=(
        [brown]='The/at Fulton/np-tl County/nn-tl said/vbd ./.'
        [gcide]='Alleyway \Al"ley*way`\n. An alley. [1913 Webster]'
        [wordnet]='00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 | that which is perceived'
        [manpages]='\fBproc\fR is a pseudo-filesystem'
        [sotu]='<p>Fellow-Citizens of the Senate</p>'
    )
    declare -A good=(
        [brown]='The Fulton County Grand Jury said Friday an investigation of "no evidence", and/or over/under.'
        [gcide]='Alleyway, n. An alley. [Obs.] See Halloween.'
        [wordnet]='entity: that which is perceived or known or inferred to have its own distinct existence'
        [manpages]='proc is a pseudo-filesystem; see <stdio.h> and printf(3).'
        [sotu]='Fellow-Citizens of the Senate and House of Representatives: 4 1/2 per cent'
    )
    for name in "${!bad[@]}"; do
        mkdir -p "$tmp/bad/$name" "$tmp/good/$name"
        printf '%s\n\n' "${bad[$name]}" > "$tmp/bad/$name/$name.txt"
        printf '%s\n\n' "${good[$name]}" > "$tmp/good/$name/$name.txt"
        if check_folder "$tmp/bad/$name" 2>/dev/null; then echo "self-test: bad $name sample passed" >&2; failures=1; fi
        if ! check_folder "$tmp/good/$name" 2>/dev/null; then echo "self-test: good $name sample failed" >&2; failures=1; fi
    done
    mkdir -p "$tmp/ctl/sotu"
    printf 'four \x02 per cent\n' > "$tmp/ctl/sotu/sotu.txt"
    if check_folder "$tmp/ctl/sotu" 2>/dev/null; then echo "self-test: control character passed" >&2; failures=1; fi
    printf 'caf\xe9\n' > "$tmp/ctl/sotu/sotu.txt"
    if check_folder "$tmp/ctl/sotu" 2>/dev/null; then echo "self-test: Latin-1 byte passed" >&2; failures=1; fi
    [[ $failures -eq 0 ]] && echo "self-test: every bad sample caught, every good one passed" >&2
    return $failures
}

case "${1:-}" in
    --self-test) [[ $# -eq 1 ]] || { echo "usage: $0 OUT | --self-test" >&2; exit 2; }; self_test ;;
    ""|-*) echo "usage: $0 OUT | --self-test" >&2; exit 2 ;;
    *) [[ -d $1 ]] || { echo "$0: $1 is not a folder" >&2; exit 1; }; check_corpus "$1" ;;
esac
