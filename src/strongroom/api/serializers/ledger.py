"""Ledger verification, checkpoints, cosignatures and proofs."""

from __future__ import annotations

from rest_framework import serializers

from strongroom.api.serializers.base import Input


class VerifyReport(serializers.Serializer):
    ok = serializers.BooleanField(help_text="True when every entry and the state agree.")
    entries = serializers.IntegerField(help_text="How many entries were checked.")
    problems = serializers.ListField(
        child=serializers.CharField(),
        help_text="The first problems found, each naming the entry or row that disagrees.",
    )


class CosignerOut(serializers.Serializer):
    name = serializers.CharField(help_text="The witness's name (its key's name).")
    key_id = serializers.CharField(help_text="Its key ID, 8 hex digits, as in its verifier key.")
    time = serializers.IntegerField(help_text="When it cosigned, in POSIX seconds, as it signed.")


class WitnessedOut(serializers.Serializer):
    met = serializers.BooleanField(
        help_text="Whether at least `threshold` of the configured witnesses validly cosigned."
    )
    threshold = serializers.IntegerField(help_text="How many must (STRONGROOM_WITNESS_THRESHOLD).")
    witnesses = serializers.IntegerField(
        help_text="How many are configured (STRONGROOM_WITNESSES)."
    )
    cosigned = CosignerOut(many=True, help_text="The configured witnesses that cosigned.")
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="The names of those that have not (yet)."
    )


class CheckpointOut(serializers.Serializer):
    origin = serializers.CharField(help_text="The log's name (STRONGROOM_LOG_ORIGIN).")
    size = serializers.IntegerField(help_text="How many entries the signed tree holds.")
    root_hash = serializers.CharField(help_text="The tree's RFC 6962 root hash, base64.")
    signed_at = serializers.DateTimeField()
    note = serializers.CharField(
        help_text="The checkpoint as a C2SP signed note: the text a verifier checks, signed by "
        "the log and followed by every witness's cosignature (C2SP tlog-cosignature) received."
    )
    log_key = serializers.CharField(help_text="The log's public key, as a verifier key (vkey).")
    witnessed = WitnessedOut(help_text="The checkpoint against the witness policy (k of n).")


class CosignatureIn(Input):
    size = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The size of the checkpoint cosigned."
    )
    cosignature = serializers.CharField(
        max_length=1000,
        help_text="The witness's signature line as a note carries it: "
        "`\u2014 <witness name> <base64(key ID || timestamp || signature)>`.",
    )


class CosignatureOut(serializers.Serializer):
    size = serializers.IntegerField(help_text="The checkpoint cosigned.")
    witness = serializers.CharField(help_text="The witness's name.")
    key_id = serializers.CharField(help_text="Its key ID, 8 hex digits.")
    time = serializers.IntegerField(help_text="When it cosigned, POSIX seconds.")
    received_at = serializers.DateTimeField(help_text="When the log first received it.")
    cosignature = serializers.CharField(help_text="The signature line the log keeps.")
    witnessed = WitnessedOut(help_text="The checkpoint against the witness policy, now.")


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
