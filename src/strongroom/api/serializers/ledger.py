"""Ledger verification."""

from __future__ import annotations

from rest_framework import serializers


class VerifyReport(serializers.Serializer):
    ok = serializers.BooleanField(help_text="True when every entry and the state agree.")
    entries = serializers.IntegerField(help_text="How many entries were checked.")
    problems = serializers.ListField(
        child=serializers.CharField(),
        help_text="The first problems found, each naming the entry or row that disagrees.",
    )


class CheckpointOut(serializers.Serializer):
    origin = serializers.CharField(help_text="The log's name (STRONGROOM_LOG_ORIGIN).")
    size = serializers.IntegerField(help_text="How many entries the signed tree holds.")
    root_hash = serializers.CharField(help_text="The tree's RFC 6962 root hash, base64.")
    signed_at = serializers.DateTimeField()
    note = serializers.CharField(
        help_text="The checkpoint as a C2SP signed note: the text a verifier checks."
    )
    log_key = serializers.CharField(help_text="The log's public key, as a verifier key (vkey).")


class LogKeyOut(serializers.Serializer):
    origin = serializers.CharField()
    log_key = serializers.CharField(help_text="<origin>+<key ID>+<base64(0x01 || public key)>")


class InclusionProofOut(serializers.Serializer):
    seq = serializers.IntegerField(help_text="The entry; its leaf index is seq - 1.")
    size = serializers.IntegerField(help_text="The size of the tree it is proved to be in.")
    leaf_hash = serializers.CharField(help_text="The entry's leaf hash, base64.")
    root_hash = serializers.CharField(help_text="The root of that tree, base64.")
    proof = serializers.ListField(
        child=serializers.CharField(), help_text="RFC 9162 §2.1.3 audit path, base64, leaf first."
    )


class ConsistencyProofOut(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    old_root = serializers.CharField(help_text="base64")
    new_root = serializers.CharField(help_text="base64")
    proof = serializers.ListField(
        child=serializers.CharField(), help_text="RFC 9162 §2.1.4 consistency proof, base64."
    )
