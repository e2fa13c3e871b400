#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The net_rtap authors
# Check doc/guides/nics/features/rtap.ini against drivers/net/rtap: the table
# below ties each feature of the tree's default.ini to its evidence (rtap_ops,
# offloads, dev_flags, facts); fails when ini and driver disagree, or either
# has what the table does not know.
# usage: check-features.sh [dpdk-source-tree (subprojects/dpdk)]; exit 0
# consistent, 1 mismatch, 77 no default.ini to read.

set -u
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
default_ini=${1:-$root/subprojects/dpdk}/doc/guides/nics/features/default.ini
[ -f "$default_ini" ] || skip "no $default_ini (fetch DPDK first: scripts/setup.sh)"

exec python3 - "$root" "$default_ini" <<'EOF'
import configparser, glob, os, re, sys
root, default_ini = sys.argv[1:3]
drv, nics = os.path.join(root, 'drivers/net/rtap'), os.path.join(root, 'doc/guides/nics')
ini_path, guide = os.path.join(nics, 'features/rtap.ini'), os.path.join(nics, 'rtap.rst')
# Feature: [any] evidence... -- op:<eth_dev_ops member>, rx:/tx:<offload
# suffix>, flag:<RTE_ETH_DEV_ suffix>, fact:<name of facts below>. A
# feature is implemented when one item is present; listed Y, it needs all
# of them, unless marked "any". mac_addr_set alone (max_mac_addrs 1) is no
# "Unicast MAC filter"; a secondary gets the queue fds over EAL's channel.
TABLE = '''Speed capabilities: any fact:speed_capa
Link status: op:link_update
Link status event: flag:INTR_LSC
Removal event: flag:INTR_RMV
Rx interrupt: op:rx_queue_intr_enable op:rx_queue_intr_disable
Lock-free Tx queue: any tx:MT_LOCKFREE
Fast mbuf free: any tx:MBUF_FAST_FREE
Free Tx mbuf on demand: op:tx_done_cleanup
Queue start/stop: op:rx_queue_start op:rx_queue_stop op:tx_queue_start op:tx_queue_stop
Runtime Rx queue setup: any fact:runtime_rx_queue_setup
Runtime Tx queue setup: any fact:runtime_tx_queue_setup
Burst mode info: op:rx_burst_mode_get op:tx_burst_mode_get
Power mgmt address monitor: op:get_monitor_addr
MTU update: op:mtu_set
Buffer split on Rx: any rx:BUFFER_SPLIT
Scattered Rx: any rx:SCATTER
LRO: any rx:TCP_LRO
TSO: any tx:TCP_TSO tx:UDP_TSO tx:VXLAN_TNL_TSO tx:GENEVE_TNL_TSO
Promiscuous mode: op:promiscuous_enable op:promiscuous_disable
Allmulticast mode: op:allmulticast_enable op:allmulticast_disable
Unicast MAC filter: op:mac_addr_add op:mac_addr_remove
Multicast MAC filter: op:set_mc_addr_list
RSS hash: any rx:RSS_HASH
RSS key update: op:rss_hash_update op:rss_hash_conf_get
RSS reta update: op:reta_update op:reta_query
DCB: op:get_dcb_info
VLAN filter: rx:VLAN_FILTER op:vlan_filter_set
Flow control: op:flow_ctrl_get op:flow_ctrl_set
Rate limitation: op:set_queue_rate_limit
Congestion management: op:cman_info_get op:cman_config_set op:cman_config_get
Traffic manager: op:tm_ops_get
Inline crypto: any rx:SECURITY tx:SECURITY
CRC offload: any rx:KEEP_CRC
VLAN offload: any rx:VLAN_STRIP tx:VLAN_INSERT
QinQ offload: any rx:QINQ_STRIP tx:QINQ_INSERT
FEC: op:fec_get_capability op:fec_get op:fec_set
IP reassembly: op:ip_reassembly_capability_get op:ip_reassembly_conf_get op:ip_reassembly_conf_set
L3 checksum offload: any rx:IPV4_CKSUM tx:IPV4_CKSUM
L4 checksum offload: any rx:UDP_CKSUM rx:TCP_CKSUM rx:SCTP_CKSUM tx:UDP_CKSUM tx:TCP_CKSUM tx:SCTP_CKSUM
Timestamp offload: any rx:TIMESTAMP
MACsec offload: any rx:MACSEC_STRIP tx:MACSEC_INSERT
Inner L3 checksum: any rx:OUTER_IPV4_CKSUM tx:OUTER_IPV4_CKSUM
Inner L4 checksum: any rx:OUTER_UDP_CKSUM tx:OUTER_UDP_CKSUM
Packet type parsing: op:dev_supported_ptypes_get
Timesync: op:timesync_enable op:timesync_disable op:timesync_read_rx_timestamp op:timesync_read_tx_timestamp op:timesync_adjust_time op:timesync_read_time op:timesync_write_time
Rx descriptor status: fact:rx_descriptor_status
Tx descriptor status: fact:tx_descriptor_status
Basic stats: op:stats_get op:stats_reset
Extended stats: op:xstats_get op:xstats_get_names op:xstats_reset
Stats per queue: fact:queue_stats
FW version: op:fw_version_get
EEPROM dump: op:get_eeprom_length op:get_eeprom
Module EEPROM dump: op:get_module_info op:get_module_eeprom
Registers dump: op:get_reg
LED: op:dev_led_on op:dev_led_off
Multiprocess aware: any fact:eal_mp_channel
Linux: fact:os_linux
Usage doc: fact:guide'''
FEATURES = {n: ('any', i.split()[1:]) if i.startswith('any ') else ('all', i.split())
	    for n, i in (l.split(': ') for l in TABLE.split('\n'))}
# Features with evidence that need not be listed (listing them is checked);
# drivers/net/rtap/meson.build builds on Linux only.
OPTIONAL = {'Perf doc': 'fact:guide_performance', 'Design doc': 'fact:guide',
	    'FreeBSD': 'fact:os_other', 'Windows': 'fact:os_other'}
# Rows the code cannot show, accepted as listed: the driver has no
# architecture-specific code, the ini names where it is built and tested.
ACCEPTED = set('ARMv7 ARMv8 LoongArch64 Power8 rv64 x86-32 x86-64 VMDq SR-IOV'.split()) | {
	'Link speed configuration', 'Inline protocol', 'Shared Rx queue', 'Queue status event', 'Inner RSS'}
# What belongs to no feature row (features.rst: the basic device operations
# and "Other dev ops not represented by a Feature"; none for multi-segment Tx).
NO_FEATURE = set('''op:dev_configure op:dev_infos_get op:dev_start op:dev_stop op:dev_close
	op:dev_reset op:dev_set_link_up op:dev_set_link_down op:rx_queue_setup op:tx_queue_setup
	op:rx_queue_release op:tx_queue_release op:mac_addr_set op:rxq_info_get op:txq_info_get
	op:vlan_tpid_set op:vlan_strip_queue_set op:vlan_pvid_set op:vlan_offload_set
	op:rx_queue_count op:uc_hash_table_set op:uc_all_hash_table_set op:udp_tunnel_port_add
	op:udp_tunnel_port_del op:xstats_get_by_id op:xstats_get_names_by_id op:dev_ptypes_set
	op:queue_stats_mapping_set op:set_eeprom op:priority_flow_ctrl_set op:flow_ops_get
	op:mtr_ops_get tx:MULTI_SEGS flag:AUTOFILL_QUEUE_XSTATS flag:FLOW_OPS_THREAD_SAFE
	flag:BONDED_SLAVE flag:BONDING_MEMBER flag:REPRESENTOR flag:NOLIVE_MAC_ADDR'''.split())
def read(path):
	with open(path, encoding='utf-8') as f:
		return f.read()
# --- what the code implements (comments removed)
code = '\n'.join(re.sub(r'//[^\n]*', ' ', re.sub(r'/\*.*?\*/', ' ', read(p), flags=re.S))
		 for p in sorted(glob.glob(os.path.join(drv, '*.[ch]'))))
m = re.search(r'struct\s+eth_dev_ops\s+rtap_ops\s*=\s*\{(.*?)\};', code, re.S)
if m is None:
	sys.exit('FAIL: no "struct eth_dev_ops rtap_ops = { ... };" in %s' % drv)
ops = set(re.findall(r'\.\s*(\w+)\s*=', m.group(1)))
# Macro definitions (with continuation lines), to resolve capability
# expressions such as RTAP_RX_OFFLOADS.
macros = {n: b.replace('\\\n', ' ') for n, b in
	  re.findall(r'#\s*define\s+(\w+)[ \t]+((?:[^\n]*\\\n)*[^\n]*)', code)}
def tokens(expr, prefix, depth=0):
	found = set(re.findall(prefix + r'(\w+)', expr))
	for word in re.findall(r'\b[A-Z_][A-Z0-9_]*\b', expr) if depth < 5 else []:
		if word in macros and not word.startswith(prefix):
			found |= tokens(macros[word], prefix, depth + 1)
	return found
def capa(fields, prefix, kind=''):
	return {kind + t for field in fields.split()
		for expr in re.findall(r'\b' + field + r'\s*(?:\|?=)\s*([^;]*);', code)
		for t in tokens(expr, prefix)}
offloads = (capa('rx_offload_capa rx_queue_offload_capa', 'RTE_ETH_RX_OFFLOAD_', 'rx:') |
	    capa('tx_offload_capa tx_queue_offload_capa', 'RTE_ETH_TX_OFFLOAD_', 'tx:'))
flags, dev_capa = capa('dev_flags', 'RTE_ETH_DEV_'), capa('dev_capa', 'RTE_ETH_DEV_CAPA_')
guide_text = read(guide) if os.path.isfile(guide) else ''
def has(pattern, text=code):
	return re.search(pattern, text, re.M) is not None
# fact: (present, how messages name it)
facts = {
	'speed_capa': (has(r'\bspeed_capa\s*=\s*(?!0\s*;)[^;]+;'), 'speed_capa set in dev_infos_get'),
	'rx_descriptor_status': (has(r'->\s*rx_descriptor_status\s*='), 'an rx_descriptor_status function'),
	'tx_descriptor_status': (has(r'->\s*tx_descriptor_status\s*='), 'a tx_descriptor_status function'),
	'queue_stats': (has(r'\bq_(?:ipackets|opackets|ibytes|obytes)\b'), 'per-queue counters (q_ipackets, ...)'
			' filled by stats_get'),
	'eal_mp_channel': (has(r'\brte_mp_(?:action_register|request_sync|request_async)\s*\('),
			   "EAL's multi-process channel (rte_mp_action_register/rte_mp_request_sync)"),
	'os_linux': (True, 'Linux'),
	'os_other': (not has(r'if\s+not\s+is_linux', read(os.path.join(drv, 'meson.build'))),
		     'build for it (drivers/net/rtap/meson.build builds on Linux only)'),
	'guide': (guide_text != '', 'doc/guides/nics/rtap.rst'),
	'guide_performance': (has(r'^Performance\n-+$', guide_text), 'Performance section in doc/guides/nics/rtap.rst')}
for c in 'RUNTIME_RX_QUEUE_SETUP', 'RUNTIME_TX_QUEUE_SETUP':
	facts[c[8:].lower()] = (c in dev_capa, 'dev_capa RTE_ETH_DEV_CAPA_' + c)
PREFIX = {'op': 'rtap_ops.', 'rx': 'RTE_ETH_RX_OFFLOAD_', 'tx': 'RTE_ETH_TX_OFFLOAD_', 'flag': 'dev_flags RTE_ETH_DEV_'}
def describe(items):
	return ', '.join(facts[i[5:]][1] if i.startswith('fact:') else
			 PREFIX[i.split(':')[0]] + i.split(':', 1)[1] for i in items)
present = ({'op:' + o for o in ops} | offloads | {'flag:' + f for f in flags} |
	   {'fact:' + f for f, (v, _) in facts.items() if v})
# --- what the ini lists
errors = []
error = errors.append
defaults, ini = configparser.ConfigParser(), configparser.ConfigParser()
defaults.optionxform = ini.optionxform = str
defaults.read(default_ini)
valid = {s: [k for k, _ in defaults.items(s)] for s in defaults.sections()}
try:
	ini.read_string(read(ini_path), ini_path)
except (configparser.Error, OSError) as e:
	sys.exit('FAIL: %s cannot be read as DPDK\'s conf.py reads it: %s' % (ini_path, e))
listed = {}
for section in ini.sections():
	if section not in valid:
		error('rtap.ini: section [%s] is not in default.ini (known: %s)' % (section, ', '.join(valid)))
		continue
	if section != 'Features' and 'op:flow_ops_get' not in present:
		error('rtap.ini: section [%s] lists rte_flow support, but rtap_ops has no flow_ops_get' % section)
	for name, value in ini.items(section):
		if name not in valid[section]:
			error("rtap.ini: [%s] '%s' is not a feature name of default.ini"
			      " (DPDK's conf.py would warn and leave it out of the overview table)" % (section, name))
		elif value[:1] not in ('Y', 'P'):
			error("rtap.ini: '%s = %s': the value must be Y (supported) or P (partly)" % (name, value))
		elif section == 'Features':
			listed[name] = value[:1]
if 'Features' not in ini.sections():
	error('rtap.ini: no [Features] section')
# --- compare
for feature, (need, evidence) in FEATURES.items():
	if feature not in valid.get('Features', []):
		# Another DPDK version may rename a row: say so, do not guess.
		print("note: '%s' of this script's table is not in %s" % (feature, default_ini))
	have, lack = [e for e in evidence if e in present], [e for e in evidence if e not in present]
	value = listed.get(feature)
	if value is None and have:
		error("'%s' is implemented (%s) but not listed in rtap.ini" % (feature, describe(have)))
	elif value is not None and not have:
		needs = ('all of ' if need == 'all' else 'one of ') * (len(evidence) > 1) + describe(evidence)
		error("'%s = %s' is listed in rtap.ini but not implemented (it needs %s)" % (feature, value, needs))
	elif value == 'Y' and need == 'all' and lack:
		error("'%s = Y' but only part of it is implemented (missing %s): implement it or list it as P"
		      % (feature, describe(lack)))
for feature in listed:
	if feature in OPTIONAL and OPTIONAL[feature] not in present:
		error("'%s' is listed in rtap.ini but there is no %s" % (feature, describe([OPTIONAL[feature]])))
	elif feature not in set(FEATURES) | set(OPTIONAL) | ACCEPTED:
		error("'%s' is listed in rtap.ini, and this script cannot check it: add it to its table" % feature)
mapped = {e for _, ev in FEATURES.values() for e in ev} | NO_FEATURE
order = ['op', 'rx', 'tx', 'flag']
for kind, name in sorted((i.split(':', 1) for i in present - mapped if not i.startswith('fact:')),
			 key=lambda k: (order.index(k[0]), k[1])):
	error({'op': "rtap_ops sets '%s', which this script's table does not know" % name,
	       'flag': "dev_flags bit RTE_ETH_DEV_%s is not in this script's table" % name}.get(
		kind, "offload capability %s%s is not in this script's table" % (PREFIX[kind], name))
	      + ': map it to a feature or to none')
for label, items in (('rtap_ops', ops), ('offloads', offloads), ('dev_flags', flags)):
	print('%s: %s' % (label, ' '.join(sorted(items))))
print('listed: %s' % ', '.join('%s=%s' % i for i in listed.items()))
print(''.join('FAIL: %s\n' % e for e in errors), end='')
if errors:
	sys.exit('features: %d mismatch(es) between %s and drivers/net/rtap'
		 % (len(errors), os.path.relpath(ini_path, root)))
print('features: rtap.ini matches drivers/net/rtap (%d features listed)' % len(listed))
EOF
