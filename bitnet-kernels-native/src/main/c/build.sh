#!/usr/bin/env bash
# Builds libbitnetkernels.so from the C sources: one object per file, each SIMD file with its own -m
# flags, so the library runs on any x86-64 CPU and picks its kernels at run time (never -march=native).
#
#   build.sh OUT_DIR             the release library, OUT_DIR/libbitnetkernels.so
#   build.sh OUT_DIR --test      also the self-test OUT_DIR/kernels_test, under ASan and UBSan
#   build.sh OUT_DIR --bench     also the raw kernel benchmark OUT_DIR/kernels_bench (docs/benchmarks.md);
#                                its ceilings are built with the AVX-512 flags and run only where the CPU has them
set -euo pipefail

src=$(cd "$(dirname "$0")" && pwd)
out=$1
mode=${2:-}
cc=${CC:-gcc}
obj_dir=${OBJ_DIR:-$out/obj}
mkdir -p "$out" "$obj_dir"

common=(-std=c11 -O3 -fPIC -fvisibility=hidden -ffp-contract=off -Wall -Wextra -Werror -I"$src")
if [[ $mode == --test ]]; then
  common+=(-g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
fi

declare -A isa_flags=(
  [i2s_avx2]="-mavx2 -mfma"
  [tl1_avx2]="-mavx2 -mfma"
  [tl2_avx2]="-mavx2 -mfma"
  [q8_avx2]="-mavx2 -mfma"
  [act_avx2]="-mavx2 -mfma"
  [i2s_avx512]="-mavx2 -mfma -mavx512f -mavx512bw -mavx512vl -mavx512vnni"
  [tl1_avx512]="-mavx2 -mfma -mavx512f -mavx512bw -mavx512vl -mavx512vnni"
  [tl2_avx512]="-mavx2 -mfma -mavx512f -mavx512bw -mavx512vl -mavx512vnni"
  [q8_avx512]="-mavx2 -mfma -mavx512f -mavx512bw -mavx512vl -mavx512vnni"
)

objs=()
for file in "$src"/*.c; do
  name=$(basename "$file" .c)
  obj="$obj_dir/$name.o"
  # shellcheck disable=SC2086
  "$cc" "${common[@]}" ${isa_flags[$name]:-} -c "$file" -o "$obj"
  objs+=("$obj")
done

if [[ $mode == --test ]]; then
  "$cc" "${common[@]}" "$src/../../test/c/kernels_test.c" "${objs[@]}" -lm -o "$out/kernels_test"
  echo "built $out/kernels_test"
elif [[ $mode == --bench ]]; then
  for ceiling in vnni_ceiling read_ceiling; do
    # shellcheck disable=SC2086
    "$cc" "${common[@]}" ${isa_flags[i2s_avx512]} -c "$src/../../test/c/$ceiling.c" -o "$obj_dir/$ceiling.o"
  done
  "$cc" "${common[@]}" "$src/../../test/c/kernels_bench.c" "$obj_dir/vnni_ceiling.o" "$obj_dir/read_ceiling.o" \
    "${objs[@]}" -lm -o "$out/kernels_bench"
  echo "built $out/kernels_bench"
else
  "$cc" -shared -fvisibility=hidden "${objs[@]}" -lm -o "$out/libbitnetkernels.so"
  echo "built $out/libbitnetkernels.so"
fi
