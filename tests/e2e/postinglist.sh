#!/bin/sh
# postinglist.sh - the posting list of the sample list's 413 judges as PDF
# (tests/unit/plist-pdf.c: German and English, A4 and US Letter), read back
# with poppler and qpdf: every running number 1..413 once and in order on a
# line with its piece's number and Cyrillic name, "page k of N" on each of
# the N pages, the grand total 413 pieces and 516.25 EUR, the fonts
# embedded, a clean bill from qpdf.
#
# usage: postinglist.sh PATH/TO/plist-pdf SOURCE_ROOT
set -u

prog=${1:?usage: postinglist.sh PATH/TO/plist-pdf SOURCE_ROOT}
root=${2:?usage: postinglist.sh PATH/TO/plist-pdf SOURCE_ROOT}
fonts=${ENVOI_FONTDIR:-$root/fonts}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

fail() {
	echo "postinglist.sh: FAIL: $*" >&2
	status=1
}

# The running numbers on the lines "N SEQ NAME ..." (the line below, with
# the ID and the Latin name, has one number), in order.
numbers() {
	sed -n 's/^ *\([0-9][0-9]*\) \{1,\}[0-9][0-9]* \{2,\}[^ 0-9].*/\1/p' "$1"
}

# check FILE.pdf LANG PAGE-SIZE
check() {
	pdf=$1 lang=$2 size=$3
	txt=${pdf%.pdf}.txt
	if ! pdftotext -layout -enc UTF-8 "$pdf" "$txt" 2>"$tmp/err"; then
		fail "pdftotext failed on $pdf"
		return
	fi
	[ -s "$tmp/err" ] && { fail "pdftotext warned on $pdf:"; cat "$tmp/err" >&2; }
	numbers "$txt" >"$tmp/got"
	seq 1 413 >"$tmp/want"
	cmp -s "$tmp/want" "$tmp/got" ||
		fail "$pdf: the running numbers are not 1..413 in order ($(wc -l <"$tmp/got") lines)"

	if [ "$lang" = de ]; then
		page=Seite of=von
		grand='Gesamtsumme (Nr. 1–413): 413 Sendungen'
		posted='Eingeliefert: 413 Sendungen, 4112.62 g, Porto 516.25 EUR'
		more='Summe dieser Seite|Übertrag|Datum, Unterschrift Einlieferer|Annahmevermerk der Post'
	else
		page=Page of=of
		grand='Grand total (nos. 1–413): 413 pieces'
		posted='Posted: 413 pieces, 4112.62 g, postage 516.25 EUR'
		more='Page total|Carried forward|Date, signature of sender|Accepted by \(post office stamp\)'
	fi
	pages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	pdfinfo "$pdf" | grep -Eq "^Page size: +$size pts" || fail "$pdf: the page size is not $size"
	k=1
	while [ "$k" -le "${pages:-0}" ]; do
		grep -q "$page $k $of $pages\$" "$txt" || fail "$pdf: no '$page $k $of $pages'"
		k=$((k + 1))
	done
	grep -Eq "$(printf '%s' "$grand" | sed 's/[()]/\\&/g') +4112\.62 +516\.25\$" "$txt" ||
		fail "$pdf: no '$grand  4112.62  516.25'"
	grep -qF "$posted" "$txt" || fail "$pdf: no '$posted'"
	printf '%s\n' "$more" | tr '|' '\n' | while read -r want; do
		grep -Eq "$want" "$txt" || { echo "postinglist.sh: FAIL: $pdf: no '$want'" >&2; echo x >>"$tmp/more"; }
	done
	pdffonts "$pdf" >"$tmp/fonts" 2>&1
	for face in PTSerif-Regular PTSerif-Bold; do
		grep -Eq "\+$face +CID TrueType +Identity-H +yes +yes +yes" "$tmp/fonts" ||
			fail "$pdf: $face is not embedded as a subset with a Unicode map"
	done
	qpdf --check "$pdf" 2>&1 | grep -q 'No syntax or stream encoding errors' ||
		fail "$pdf: qpdf --check is not clean"
	echo "$pdf: $pages pages"
}

"$prog" "$root/recipients/judges.csv" "$fonts" "$tmp/de.pdf" "$tmp/en.pdf" >/dev/null ||
	{ fail "$prog failed"; exit 1; }
check "$tmp/de.pdf" de '595\.2[0-9]* x 841\.8[0-9]*'
check "$tmp/en.pdf" en '595\.2[0-9]* x 841\.8[0-9]*'
"$prog" "$root/recipients/judges.csv" "$fonts" "$tmp/de-letter.pdf" "$tmp/en-letter.pdf" letter >/dev/null ||
	{ fail "$prog failed on Letter"; exit 1; }
check "$tmp/de-letter.pdf" de '612 x 792'
check "$tmp/en-letter.pdf" en '612 x 792'
[ -s "$tmp/more" ] && status=1

[ "$status" -eq 0 ] && echo "postinglist.sh: ok"
exit "$status"
