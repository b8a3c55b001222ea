/**
 * An example of a third-party Creditline plugin, built against core/api alone: promotional (free) credits pay only
 * for a member's first bookings. docs/plugins.md walks through it.
 */
package com.example.firstvisit;
