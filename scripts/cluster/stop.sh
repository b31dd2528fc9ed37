#!/usr/bin/env bash
# Stops every process of the local cluster (SIGTERM, then waits; downstream first, HDFS last).
# The data stays in data/cluster (CLUSTER_DATA_DIR).
source "$(dirname "$0")/lib.sh"
stop_cluster
