# Sourced by the MQTT tests, after checks.sh: a private mosquitto on a free
# port of 127.0.0.1, with its own config and log in $out, and the clients'
# shorthands for limber's topics (they need $id, the daemon's MQTT id).
#
#   free_port      a free TCP port of 127.0.0.1
#   broker_up      start mosquitto on $port and wait until it answers; $broker is its pid
#   pub ARGS       publish on limber/$id/cmd
#   retained T     the retained message on topic T (waits at most 2 s)
#   field KEY      KEY of the retained state object
PATH=$PATH:/usr/sbin
for _t in mosquitto mosquitto_sub mosquitto_pub python3; do
	command -v $_t >/dev/null ||
		{ echo "$(basename "$0" .sh): $_t is not installed (sh scripts/deps --test)"; exit 1; }
done
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" >"$out/mosquitto.conf"
broker=""
broker_up() {
	mosquitto -c "$out/mosquitto.conf" >>"$out/mosquitto.log" 2>&1 &
	broker=$!
	within 'mosquitto_pub -p $port -t limber-test/ping -m x 2>/dev/null' 50 ||
		{ echo "$(basename "$0" .sh): mosquitto did not start"; cat "$out/mosquitto.log"; exit 1; }
}
pub() { mosquitto_pub -p "$port" -t "limber/$id/cmd" "$@"; }
retained() { mosquitto_sub -p "$port" -t "$1" -C 1 -W 2 2>/dev/null; }
field() { retained "limber/$id/state" | python3 -c "import json, sys; print(json.load(sys.stdin).get('$1'))" 2>/dev/null; }
