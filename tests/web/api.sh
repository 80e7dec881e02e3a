#!/bin/sh
# web_api: the phone page's HTTP API against webharness (src/web.c with fake
# daemon ops), with curl: the PIN, cross-site writes, oversized bodies and
# garbage are refused, each with its status, and the server goes on serving.
#   api.sh WEBHARNESS OUTDIR
set -u
harness=$1 out=$2
cd "$(dirname "$0")/../.."
. tests/integration/checks.sh
rm -rf "$out"
mkdir -p "$out/state"
. tests/web/harness.sh
web_start "$harness" "$out" || exit 1
u=$WEB_URL

# code METHOD PATH [curl args]: the status alone.
code() {
	m=$1 p=$2
	shift 2
	curl -s -o "$out/body" -w '%{http_code}' -X "$m" "$@" "$u$p"
}
pin="Authorization: Bearer 4711"

check '[ "$(code GET /api/status)" = 200 ]' "status is read without a PIN"
check 'grep -q "\"state\":\"idle\"" "$out/body"' "status is the MQTT state object"
check '[ "$(code GET /)" = 200 ] && grep -q "<h1>limber</h1>" "$out/body"' "the page is served"
check '[ "$(code GET /chart.js)" = 200 ] && grep -q "Chart.js" "$out/body"' "Chart.js is served from Debian's package"
# The static files carry an ETag: a browser that has one gets 304 and no body.
etag=$(curl -s -D - -o /dev/null "$u/chart.js" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
check '[ -n "$etag" ]' "a static file has an ETag ($etag)"
rm -f "$out/body"
check '[ "$(code GET /chart.js -H "If-None-Match: $etag")" = 304 ] && [ ! -s "$out/body" ]' \
	"asked again with it: 304, no body"
check '[ "$(code GET /chart.js -H "If-None-Match: \"0-0-0\"")" = 200 ] && [ -s "$out/body" ]' \
	"with another tag: the file"
check '[ "$(code GET /api/routines)" = 200 ] && grep -q "lower-back/beginner" "$out/body"' "routines"
check '[ "$(code GET /api/history)" = 200 ] && grep -q "\"streak_days\":15" "$out/body"' "the seeded history"
check '[ "$(code GET /api/settings)" = 200 ] && grep -q "\"voices\":\[" "$out/body"' "settings"

check '[ "$(code POST /api/cmd --data pause)" = 401 ]' "a command without the PIN: 401"
check '[ "$(code POST /api/cmd -H "Authorization: Bearer 0000" --data pause)" = 401 ]' \
	"a wrong PIN: 401"
check '[ "$(code PUT /api/settings --data "{}")" = 401 ]' "settings without the PIN: 401"
check '! grep -q . "$out/log"' "nothing refused reached the daemon"
check '[ "$(code POST /api/cmd -H "$pin" --data "start lower-back/beginner")" = 200 ]' \
	"the right PIN: 200"
check 'grep -q "^ok starting lower-back/beginner" "$out/body"' "the reply is the socket's"
check '[ "$(code POST /api/cmd -H "$pin" -H "Origin: http://evil.example" --data stop)" = 403 ]' \
	"a cross-site POST (Origin): 403"
check '[ "$(code POST /api/cmd -H "$pin" -H "Sec-Fetch-Site: cross-site" --data stop)" = 403 ]' \
	"a cross-site POST (Sec-Fetch-Site): 403"
check '[ "$(code PUT /api/settings -H "$pin" -H "Origin: http://evil.example" --data "{}")" = 403 ]' \
	"a cross-site PUT: 403"
head -c 100000 /dev/zero | tr '\0' a >"$out/big"
check '[ "$(code POST /api/cmd -H "$pin" --data-binary @"$out/big")" = 413 ]' \
	"an oversized body: 413"
check '[ "$(code POST /api/cmd -H "$pin" -H "Transfer-Encoding: chunked" --data-binary @"$out/big")" = 413 ]' \
	"an oversized chunked body: 413"
check '[ "$(code POST /api/cmd -H "$pin" --data-binary @"$harness")" = 413 ]' "a binary: 413"
check '[ "$(code POST /api/cmd -H "$pin" --data-binary "$(printf "pa\001use")")" = 400 ]' \
	"a control character: 400"
check '[ "$(code POST /api/cmd -H "$pin" --data-binary "$(printf "pause\nstop")")" = 400 ]' \
	"two lines: 400"
check '[ "$(code POST /api/cmd -H "$pin" --data "rm -rf /")" = 400 ]' "an unknown verb: 400"
check '[ "$(code POST /api/cmd -H "$pin" --data "start ../../etc/passwd")" = 400 ]' "a path: 400"
check '[ "$(code PUT /api/settings -H "$pin" --data "{\"volume_db\": 99}")" = 400 ]' \
	"a bad setting: 400"
check '[ "$(code PUT /api/settings -H "$pin" --data "{not json")" = 400 ]' "garbage settings: 400"
check '[ "$(code DELETE /api/cmd)" = 405 ]' "another method: 405"
check '[ "$(code GET /../../etc/passwd --path-as-is)" = 404 ]' "no path out of the page"
check '[ "$(code GET /api/nothing)" = 404 ]' "an unknown API: 404"
# Raw garbage on the socket: MHD answers or closes, and the server goes on.
printf 'GARBAGE\r\n\r\n' | curl -s -m 3 telnet://"${WEB_ADDR}" >/dev/null 2>&1
head -c 4000 /dev/urandom | curl -s -m 3 telnet://"${WEB_ADDR}" >/dev/null 2>&1
check '[ "$(code GET /api/status)" = 200 ]' "still serving after garbage on the socket"

check '[ "$(code PUT /api/settings -H "$pin" --data "{\"timers\": {\"midday\": false}}")" = 200 ]' \
	"settings saved"
check 'grep -q "\"midday\": false" "$out/state/settings.json"' "in the state directory"
check 'grep -q "^#settings saved" "$out/log"' "and the daemon told"

# Wrong PINs slow down: after three, a wait (429), even for the right one, from that
# address only.
for i in 1 2 3; do code POST /api/cmd -H "Authorization: Bearer 9999" --data pause >/dev/null; done
check '[ "$(code POST /api/cmd -H "$pin" --data pause)" = 429 ]' "repeated wrong PINs: 429"
check '[ "$(code POST /api/cmd --interface 127.0.0.2 -H "$pin" --data repeat)" = 200 ]' \
	"the owner's phone at another address is not made to wait"
sleep 1.2
check '[ "$(code POST /api/cmd -H "$pin" --data pause)" = 200 ]' "the right PIN once the wait is over"

check '[ "$(code GET /api/status)" = 200 ] && grep -q "\"state\":\"paused\"" "$out/body"' \
	"still serving, and the state followed the commands"
check 'kill -0 "$WEB_PID"' "the server is alive"
check '[ "$(grep -c -v "^#" "$out/log")" = 3 ]' "exactly the three accepted commands reached the daemon"
web_stop
echo "web_api: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
