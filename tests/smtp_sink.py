"""A real SMTP server for the test suites: stores each message it receives as
one .eml file in a folder, and exits when its standard input closes, so it
never outlives the test process that started it.

Usage: python3 smtp_sink.py PORT FOLDER
Prints "ready" once it accepts connections.
"""

import os
import sys
import time
import uuid

from aiosmtpd.controller import Controller


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.folder, f"{time.time_ns()}-{uuid.uuid4().hex}.eml")
        recipients = "".join(f"X-Envelope-To: {r}\r\n" for r in envelope.rcpt_tos)
        with open(name + ".part", "wb") as f:
            f.write(recipients.encode())
            f.write(envelope.original_content)
        # Renamed when complete so readers never see half a message.
        os.rename(name + ".part", name)
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(SaveToFolder(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    # Blocks until the parent closes our stdin, or dies.
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
