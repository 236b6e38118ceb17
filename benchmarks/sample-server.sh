# Shared by the benchmark scripts (sourced, not run): a free port, and waiting for the sample server.

# A free TCP port on localhost.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_ready LOG PID [POLL_SECONDS]: returns once the server's log has its "model ... ready in" line;
# if the server died first, prints its log and exits the script.
wait_ready() {
  until grep -q " ready in " "$1"; do
    kill -0 "$2" 2>/dev/null || { cat "$1"; exit 1; }
    sleep "${3:-0.1}"
  done
}

# server_url LOG: the server's base URL, from its "listening on" line.
server_url() { grep -o "listening on http://127.0.0.1:[0-9]*" "$1" | awk '{ print $3 }'; }
