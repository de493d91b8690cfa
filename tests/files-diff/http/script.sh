#!/bin/sh
echo hello from http
