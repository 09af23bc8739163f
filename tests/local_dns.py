"""A tiny authoritative DNS server on loopback (UDP), so `mailto:` checks run without the internet."""

from __future__ import annotations

import socket
import threading

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


class LocalDNS:
    """`records` maps a name to {type: [rdata text]}; unknown names answer NXDOMAIN."""

    def __init__(self, records: dict[str, dict[str, list[str]]], address: str = "127.0.0.1"):
        self.records = {name.rstrip(".").lower(): value for name, value in records.items()}
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((address, 0))
        self.nameserver = f"{address}:{self.socket.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.queries: list[tuple[str, str]] = []

    def __enter__(self) -> LocalDNS:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.socket.close()

    def _serve(self) -> None:
        while True:
            try:
                data, client = self.socket.recvfrom(4096)
            except OSError:
                return
            query = dns.message.from_wire(data)
            self.socket.sendto(self._answer(query).to_wire(), client)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        rdtype = dns.rdatatype.to_text(question.rdtype)
        self.queries.append((name, rdtype))
        if name not in self.records:
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response
        values = self.records[name].get(rdtype, [])
        if values:
            response.answer.append(dns.rrset.from_text_list(question.name, 300, "IN", rdtype, values))
        return response
