file /etc/b64 'base64: ok?\n% & = ;\n'
