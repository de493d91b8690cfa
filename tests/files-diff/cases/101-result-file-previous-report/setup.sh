printf '{"provisioningBootID":"x","provisioningDate":"2020-01-01T00:00:00Z","userConfigProvided":true}' > "$1/etc/.ignition-result.json"; chmod 600 "$1/etc/.ignition-result.json"
