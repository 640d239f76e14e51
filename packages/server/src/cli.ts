#!/usr/bin/env node
import { main } from './run'

process.exit(await main())
