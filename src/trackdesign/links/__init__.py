"""Link health: find every URL in the specs, check it politely over HTTP, cache the answers."""
