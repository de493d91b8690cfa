// The engine's log category (defined in cli.cpp).
#pragma once

#include "flint/base/log.h"

FLINT_LOG_DECLARE_CATEGORY(Engine)
