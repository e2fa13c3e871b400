#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
#
# Check the feature matrix, doc/guides/nics/features/rtap.ini, against what
# the driver implements. The mapping table below ties each DPDK feature name
# (doc/guides/nics/features/default.ini of the DPDK tree; features.rst says
# what each one stands for) to the evidence in drivers/net/rtap:
#
#   - the operations set in the rtap_ops table (rtap_ethdev.c),
#   - the offload capabilities the port reports (RTAP_RX_OFFLOADS and
#     RTAP_TX_OFFLOADS, or whatever rx/tx_offload_capa and
#     rx/tx_queue_offload_capa are set to),
#   - dev_flags bits (RTE_ETH_DEV_INTR_LSC, ...),
#   - a few other facts (speed_capa, per-queue counters, the EAL
#     multi-process channel, the OS the driver builds on, the guide).
#
# It fails, naming the feature and the evidence, when:
#   - a feature is listed but not implemented (or listed Y where only part
#     of it is),
#   - an operation, offload or flag is implemented whose feature is not
#     listed,
#   - the ini names a feature default.ini does not have, or has a section
#     or value conf.py would not turn into the overview table,
#   - the driver sets an operation, offload or flag this table does not
#     know (add it to the table).
#
# usage: check-features.sh [dpdk-source-tree]   (default: subprojects/dpdk)
#
# Exit status: 0 consistent, 1 mismatch, 77 no DPDK tree to read
# default.ini from.

set -u

here=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-$here/subprojects/dpdk}
default_ini=$tree/doc/guides/nics/features/default.ini

if [ ! -f "$default_ini" ]; then
	echo "SKIP: no $default_ini (fetch DPDK first: scripts/setup.sh)"
	exit 77
fi

exec /usr/bin/env python3 - "$here" "$default_ini" <<'EOF'
import configparser
import glob
import os
import re
import sys

root, default_ini = sys.argv[1:3]
drv = os.path.join(root, 'drivers', 'net', 'rtap')
ini_path = os.path.join(root, 'doc', 'guides', 'nics', 'features', 'rtap.ini')
guide = os.path.join(root, 'doc', 'guides', 'nics', 'rtap.rst')
ethdev_c = os.path.join(drv, 'rtap_ethdev.c')

# --- the mapping table ---------------------------------------------------
#
# feature name -> (need, evidence)
#   evidence: op:<eth_dev_ops member>, rx:<RTE_ETH_RX_OFFLOAD_ suffix>,
#             tx:<RTE_ETH_TX_OFFLOAD_ suffix>, flag:<RTE_ETH_DEV_ suffix>,
#             fact:<name> (see facts below)
#   need: 'all' - Y needs every item, P some of them;
#         'any' - any one item makes the feature implemented.
# A feature is implemented when at least one item is present.
FEATURES = {
	'Speed capabilities': ('any', ['fact:speed_capa']),
	'Link status': ('all', ['op:link_update']),
	'Link status event': ('all', ['flag:INTR_LSC']),
	'Removal event': ('all', ['flag:INTR_RMV']),
	'Rx interrupt': ('all', ['op:rx_queue_intr_enable',
				 'op:rx_queue_intr_disable']),
	'Lock-free Tx queue': ('any', ['tx:MT_LOCKFREE']),
	'Fast mbuf free': ('any', ['tx:MBUF_FAST_FREE']),
	'Free Tx mbuf on demand': ('all', ['op:tx_done_cleanup']),
	'Queue start/stop': ('all', ['op:rx_queue_start', 'op:rx_queue_stop',
				     'op:tx_queue_start', 'op:tx_queue_stop']),
	'Runtime Rx queue setup': ('any', ['fact:runtime_rx_queue_setup']),
	'Runtime Tx queue setup': ('any', ['fact:runtime_tx_queue_setup']),
	'Burst mode info': ('all', ['op:rx_burst_mode_get',
				    'op:tx_burst_mode_get']),
	'Power mgmt address monitor': ('all', ['op:get_monitor_addr']),
	'MTU update': ('all', ['op:mtu_set']),
	'Buffer split on Rx': ('any', ['rx:BUFFER_SPLIT']),
	'Scattered Rx': ('any', ['rx:SCATTER']),
	'LRO': ('any', ['rx:TCP_LRO']),
	'TSO': ('any', ['tx:TCP_TSO', 'tx:UDP_TSO']),
	'Promiscuous mode': ('all', ['op:promiscuous_enable',
				     'op:promiscuous_disable']),
	'Allmulticast mode': ('all', ['op:allmulticast_enable',
				      'op:allmulticast_disable']),
	# mac_addr_set alone (one address, max_mac_addrs 1) filters nothing.
	'Unicast MAC filter': ('all', ['op:mac_addr_add', 'op:mac_addr_remove']),
	'Multicast MAC filter': ('all', ['op:set_mc_addr_list']),
	'RSS hash': ('any', ['rx:RSS_HASH']),
	'RSS key update': ('all', ['op:rss_hash_update', 'op:rss_hash_conf_get']),
	'RSS reta update': ('all', ['op:reta_update', 'op:reta_query']),
	'DCB': ('all', ['op:get_dcb_info']),
	'VLAN filter': ('all', ['rx:VLAN_FILTER', 'op:vlan_filter_set']),
	'Flow control': ('all', ['op:flow_ctrl_get', 'op:flow_ctrl_set']),
	'Rate limitation': ('all', ['op:set_queue_rate_limit']),
	'Congestion management': ('all', ['op:cman_info_get',
					  'op:cman_config_set',
					  'op:cman_config_get']),
	'Traffic manager': ('all', ['op:tm_ops_get']),
	'Inline crypto': ('any', ['rx:SECURITY', 'tx:SECURITY']),
	'CRC offload': ('any', ['rx:KEEP_CRC']),
	'VLAN offload': ('any', ['rx:VLAN_STRIP', 'tx:VLAN_INSERT']),
	'QinQ offload': ('any', ['rx:QINQ_STRIP', 'tx:QINQ_INSERT']),
	'FEC': ('all', ['op:fec_get_capability', 'op:fec_get', 'op:fec_set']),
	'IP reassembly': ('all', ['op:ip_reassembly_capability_get',
				  'op:ip_reassembly_conf_get',
				  'op:ip_reassembly_conf_set']),
	'L3 checksum offload': ('any', ['rx:IPV4_CKSUM', 'tx:IPV4_CKSUM']),
	'L4 checksum offload': ('any', ['rx:UDP_CKSUM', 'rx:TCP_CKSUM',
					'rx:SCTP_CKSUM', 'tx:UDP_CKSUM',
					'tx:TCP_CKSUM', 'tx:SCTP_CKSUM']),
	'Timestamp offload': ('any', ['rx:TIMESTAMP']),
	'MACsec offload': ('any', ['rx:MACSEC_STRIP', 'tx:MACSEC_INSERT']),
	'Inner L3 checksum': ('any', ['rx:OUTER_IPV4_CKSUM',
				      'tx:OUTER_IPV4_CKSUM']),
	'Inner L4 checksum': ('any', ['rx:OUTER_UDP_CKSUM',
				      'tx:OUTER_UDP_CKSUM']),
	'Packet type parsing': ('all', ['op:dev_supported_ptypes_get']),
	'Timesync': ('all', ['op:timesync_enable', 'op:timesync_disable',
			     'op:timesync_read_rx_timestamp',
			     'op:timesync_read_tx_timestamp',
			     'op:timesync_adjust_time', 'op:timesync_read_time',
			     'op:timesync_write_time']),
	'Rx descriptor status': ('all', ['fact:rx_descriptor_status']),
	'Tx descriptor status': ('all', ['fact:tx_descriptor_status']),
	'Basic stats': ('all', ['op:stats_get', 'op:stats_reset']),
	'Extended stats': ('all', ['op:xstats_get', 'op:xstats_get_names',
				   'op:xstats_reset']),
	'Stats per queue': ('all', ['fact:queue_stats']),
	'FW version': ('all', ['op:fw_version_get']),
	'EEPROM dump': ('all', ['op:get_eeprom_length', 'op:get_eeprom']),
	'Module EEPROM dump': ('all', ['op:get_module_info',
				       'op:get_module_eeprom']),
	'Registers dump': ('all', ['op:get_reg']),
	'LED': ('all', ['op:dev_led_on', 'op:dev_led_off']),
	# A secondary process gets the queue fds over EAL's channel.
	'Multiprocess aware': ('any', ['fact:eal_mp_channel']),
	'Linux': ('all', ['fact:os_linux']),
	'Usage doc': ('all', ['fact:guide']),
}

# Features with evidence that need not be listed (listing them is checked).
OPTIONAL = {
	'Perf doc': 'fact:guide_performance',
	'Design doc': 'fact:guide',
	# drivers/net/rtap/meson.build builds on Linux only.
	'FreeBSD': 'fact:os_other',
	'Windows': 'fact:os_other',
}

# Rows the code cannot show: accepted as listed. Architectures: the driver
# has no architecture-specific code; the ini names where it is built and
# tested.
ACCEPTED = {'ARMv7', 'ARMv8', 'LoongArch64', 'Power8', 'rv64', 'x86-32',
	    'x86-64', 'Link speed configuration', 'Inline protocol',
	    'Shared Rx queue', 'Queue status event', 'VMDq', 'SR-IOV',
	    'Inner RSS'}

# Operations that belong to no feature row (features.rst: the basic
# device operations, and "Other dev ops not represented by a Feature").
# mac_addr_set alone is not "Unicast MAC filter" (see above).
NO_FEATURE_OPS = {
	'dev_configure', 'dev_infos_get', 'dev_start', 'dev_stop',
	'dev_close', 'dev_reset', 'dev_set_link_up', 'dev_set_link_down',
	'rx_queue_setup', 'tx_queue_setup', 'rx_queue_release',
	'tx_queue_release', 'mac_addr_set', 'rxq_info_get', 'txq_info_get',
	'vlan_tpid_set', 'vlan_strip_queue_set', 'vlan_pvid_set',
	'vlan_offload_set', 'rx_queue_count', 'uc_hash_table_set',
	'uc_all_hash_table_set', 'udp_tunnel_port_add', 'udp_tunnel_port_del',
	'xstats_get_by_id', 'xstats_get_names_by_id', 'dev_ptypes_set',
	'queue_stats_mapping_set', 'set_eeprom', 'priority_flow_ctrl_set',
	'flow_ops_get', 'mtr_ops_get',
}

# Offloads that belong to no feature row: features.rst has none for
# multi-segment Tx.
NO_FEATURE_OFFLOADS = {'tx:MULTI_SEGS'}

# dev_flags bits that belong to no feature row.
NO_FEATURE_FLAGS = {'AUTOFILL_QUEUE_XSTATS', 'FLOW_OPS_THREAD_SAFE',
		    'BONDED_SLAVE', 'BONDING_MEMBER', 'REPRESENTOR',
		    'NOLIVE_MAC_ADDR'}

errors = []


def error(msg):
	errors.append(msg)


def read(path):
	with open(path, encoding='utf-8') as f:
		return f.read()


def strip_comments(src):
	src = re.sub(r'/\*.*?\*/', ' ', src, flags=re.S)
	return re.sub(r'//[^\n]*', ' ', src)


# --- what the code implements --------------------------------------------

sources = {p: strip_comments(read(p))
	   for p in sorted(glob.glob(os.path.join(drv, '*.[ch]')))}
code = '\n'.join(sources.values())
ethdev = strip_comments(read(ethdev_c))

m = re.search(r'struct\s+eth_dev_ops\s+rtap_ops\s*=\s*\{(.*?)\};', ethdev, re.S)
if m is None:
	print('FAIL: no "struct eth_dev_ops rtap_ops = { ... };" in %s' % ethdev_c)
	sys.exit(1)
ops = set(re.findall(r'\.\s*(\w+)\s*=', m.group(1)))

# Macro definitions (with continuation lines), to resolve capability
# expressions such as RTAP_RX_OFFLOADS.
macros = {}
for name, body in re.findall(r'#\s*define\s+(\w+)[ \t]+((?:[^\n]*\\\n)*[^\n]*)', code):
	macros[name] = body.replace('\\\n', ' ')


def tokens(expr, prefix, depth=0):
	found = set(re.findall(prefix + r'(\w+)', expr))
	if depth < 5:
		for word in re.findall(r'\b[A-Z_][A-Z0-9_]*\b', expr):
			if word in macros and not word.startswith(prefix):
				found |= tokens(macros[word], prefix, depth + 1)
	return found


def capa(field, prefix):
	found = set()
	for expr in re.findall(r'\b' + field + r'\s*(?:\|?=)\s*([^;]*);', code):
		found |= tokens(expr, prefix)
	return found


offloads = set()
for field in ('rx_offload_capa', 'rx_queue_offload_capa'):
	offloads |= {'rx:' + t for t in capa(field, 'RTE_ETH_RX_OFFLOAD_')}
for field in ('tx_offload_capa', 'tx_queue_offload_capa'):
	offloads |= {'tx:' + t for t in capa(field, 'RTE_ETH_TX_OFFLOAD_')}
flags = capa('dev_flags', 'RTE_ETH_DEV_')
dev_capa = capa('dev_capa', 'RTE_ETH_DEV_CAPA_')

meson = read(os.path.join(drv, 'meson.build'))
linux_only = re.search(r'if\s+not\s+is_linux', meson) is not None
guide_text = read(guide) if os.path.isfile(guide) else ''

facts = {
	'speed_capa': re.search(r'\bspeed_capa\s*=\s*(?!0\s*;)[^;]+;', code) is not None,
	'runtime_rx_queue_setup': 'RUNTIME_RX_QUEUE_SETUP' in dev_capa,
	'runtime_tx_queue_setup': 'RUNTIME_TX_QUEUE_SETUP' in dev_capa,
	'rx_descriptor_status': re.search(r'->\s*rx_descriptor_status\s*=', code) is not None,
	'tx_descriptor_status': re.search(r'->\s*tx_descriptor_status\s*=', code) is not None,
	# stats_get fills the per-queue counters.
	'queue_stats': re.search(r'\bq_(?:ipackets|opackets|ibytes|obytes)\b', code) is not None,
	'eal_mp_channel': re.search(r'\brte_mp_(?:action_register|request_sync|request_async)\s*\(', code) is not None,
	'os_linux': True,
	'os_other': not linux_only,
	'guide': guide_text != '',
	'guide_performance': re.search(r'^Performance\n-+$', guide_text, re.M) is not None,
}

# How each item is named in messages.
FACT_TEXT = {
	'speed_capa': 'speed_capa set in dev_infos_get',
	'runtime_rx_queue_setup': 'dev_capa RTE_ETH_DEV_CAPA_RUNTIME_RX_QUEUE_SETUP',
	'runtime_tx_queue_setup': 'dev_capa RTE_ETH_DEV_CAPA_RUNTIME_TX_QUEUE_SETUP',
	'rx_descriptor_status': 'an rx_descriptor_status function',
	'tx_descriptor_status': 'a tx_descriptor_status function',
	'queue_stats': 'per-queue counters (q_ipackets, ...) filled by stats_get',
	'eal_mp_channel': "EAL's multi-process channel (rte_mp_action_register/rte_mp_request_sync)",
	'os_linux': 'Linux',
	'os_other': 'build for it (drivers/net/rtap/meson.build builds on Linux only)',
	'guide': 'doc/guides/nics/rtap.rst',
	'guide_performance': 'Performance section in doc/guides/nics/rtap.rst',
}


def describe(item):
	kind, name = item.split(':', 1)
	if kind == 'op':
		return 'rtap_ops.' + name
	if kind == 'rx':
		return 'RTE_ETH_RX_OFFLOAD_' + name
	if kind == 'tx':
		return 'RTE_ETH_TX_OFFLOAD_' + name
	if kind == 'flag':
		return 'dev_flags RTE_ETH_DEV_' + name
	return FACT_TEXT.get(name, name)


def describe_all(items):
	return ', '.join(describe(i) for i in items)


present = set()
present |= {'op:' + o for o in ops}
present |= offloads
present |= {'flag:' + f for f in flags}
present |= {'fact:' + f for f, v in facts.items() if v}

# --- what the ini lists -----------------------------------------------------

defaults = configparser.ConfigParser()
defaults.optionxform = str
defaults.read(default_ini)
valid = {s: [k for k, _ in defaults.items(s)] for s in defaults.sections()}

ini = configparser.ConfigParser()
ini.optionxform = str
try:
	ini.read_string(read(ini_path), ini_path)
except (configparser.Error, OSError) as e:
	print('FAIL: %s cannot be read as DPDK\'s conf.py reads it: %s' % (ini_path, e))
	sys.exit(1)

listed = {}
for section in ini.sections():
	if section not in valid:
		error('rtap.ini: section [%s] is not in default.ini (known: %s)'
		      % (section, ', '.join(valid)))
		continue
	if section != 'Features':
		if 'op:flow_ops_get' not in present:
			error('rtap.ini: section [%s] lists rte_flow support, but rtap_ops has no flow_ops_get'
			      % section)
	for name, value in ini.items(section):
		if name not in valid[section]:
			error("rtap.ini: [%s] '%s' is not a feature name of default.ini"
			      " (DPDK's conf.py would warn and leave it out of the overview table)"
			      % (section, name))
			continue
		if value[:1] not in ('Y', 'P'):
			error("rtap.ini: '%s = %s': the value must be Y (supported) or P (partly)"
			      % (name, value))
			continue
		if section == 'Features':
			listed[name] = value[:1]

if 'Features' not in ini.sections():
	error('rtap.ini: no [Features] section')

# --- compare -------------------------------------------------------------------

missing_rows = [f for f in FEATURES if f not in valid.get('Features', [])]
for f in missing_rows:
	# Another DPDK version may rename a row: say so, do not guess.
	print("note: '%s' of this script's table is not in %s" % (f, default_ini))

for feature, (need, evidence) in FEATURES.items():
	have = [e for e in evidence if e in present]
	lack = [e for e in evidence if e not in present]
	value = listed.get(feature)
	if value is None:
		if have:
			error("'%s' is implemented (%s) but not listed in rtap.ini"
			      % (feature, describe_all(have)))
		continue
	if not have:
		needs = describe_all(evidence)
		if len(evidence) > 1:
			needs = ('all of ' if need == 'all' else 'one of ') + needs
		error("'%s = %s' is listed in rtap.ini but not implemented (it needs %s)"
		      % (feature, value, needs))
	elif value == 'Y' and need == 'all' and lack:
		error("'%s = Y' but only part of it is implemented (missing %s): implement it or list it as P"
		      % (feature, describe_all(lack)))

for feature, evidence in OPTIONAL.items():
	if feature in listed and evidence not in present:
		error("'%s' is listed in rtap.ini but there is no %s"
		      % (feature, describe(evidence)))

known = set(FEATURES) | set(OPTIONAL) | ACCEPTED
for feature in listed:
	if feature not in known:
		error("'%s' is listed in rtap.ini, and this script cannot check it: add it to its table"
		      % feature)

mapped = {e for _, ev in FEATURES.values() for e in ev}
for op in sorted(ops):
	if 'op:' + op not in mapped and op not in NO_FEATURE_OPS:
		error("rtap_ops sets '%s', which this script's table does not know: map it to a feature or to none"
		      % op)
for o in sorted(offloads):
	if o not in mapped and o not in NO_FEATURE_OFFLOADS:
		error("offload capability %s_%s is not in this script's table: map it to a feature or to none"
		      % ('RTE_ETH_RX_OFFLOAD' if o.startswith('rx:') else 'RTE_ETH_TX_OFFLOAD', o[3:]))
for f in sorted(flags):
	if 'flag:' + f not in mapped and f not in NO_FEATURE_FLAGS:
		error("dev_flags bit RTE_ETH_DEV_%s is not in this script's table: map it to a feature or to none"
		      % f)

print('rtap_ops: %s' % ' '.join(sorted(ops)))
print('offloads: %s' % ' '.join(sorted(offloads)))
print('dev_flags: %s' % ' '.join(sorted(flags)))
print('listed: %s' % ', '.join('%s=%s' % (k, v) for k, v in listed.items()))
if errors:
	for e in errors:
		print('FAIL: ' + e)
	print('features: %d mismatch(es) between %s and drivers/net/rtap'
	      % (len(errors), os.path.relpath(ini_path, root)))
	sys.exit(1)
print('features: rtap.ini matches drivers/net/rtap (%d features listed)' % len(listed))
EOF
