/* metrics.c - helpers over the font-metrics interface, and the fixed-width
 * fake that layout tests measure with. */
#include "metrics.h"

#include "text.h"

double ev_text_width(const ev_metrics *m, ev_face face, double size,
                     const char *s, size_t len)
{
	return m->width(m->ctx, face, s, len) * size / 1000.0;
}

uint32_t ev_missing_glyph(const ev_metrics *m, ev_face face, const char *s,
                          size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, len - i, &cp);
		if (!k)
			return 0xFFFD;
		if (!m->has_glyph(m->ctx, face, cp))
			return cp;
		i += k;
	}
	return 0;
}

static double fixed_width(void *ctx, ev_face face, const char *s, size_t len)
{
	(void)face;
	return *(const double *)ctx * (double)ev_utf8_count(s, len);
}

static bool fixed_has_glyph(void *ctx, ev_face face, uint32_t cp)
{
	(void)ctx;
	(void)face;
	return cp != 0xFFFD && cp <= 0xFFFF;
}

ev_metrics ev_metrics_fixed(const double *per_mille)
{
	return (ev_metrics){
		.ctx = (void *)per_mille,
		.width = fixed_width,
		.has_glyph = fixed_has_glyph,
	};
}
