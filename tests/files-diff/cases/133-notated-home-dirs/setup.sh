# Mount points the mount stage created (state notatedDirectories, as it
# records them), some in users' homes. The state file is where run_side
# points -state-file for each side ($W/<side>-run/state; setup.sh runs in $W).
mkdir -p "$1/home/core/data/deeper" "$1/home/core2" "$1/var/mnt" "$1/home/nohome/x"
for side in ign flint; do
	mkdir -p "$side-run"
	printf '%s\n' '{"fetchedConfigs":null,"luksPersistKeyFiles":null,"notatedDirectories":["/home/core","/home/core/data","/home/core2","/var/mnt","/home/nohome/x"]}' \
		>"$side-run/state"
done
