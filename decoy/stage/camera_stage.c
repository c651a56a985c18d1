/* camera_stage: the picture as the persona's firmware makes it, from the
 * picture keys, and the hub that encodes it while someone watches. */
#include "stage.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "credcode.h"
#include "log.h"
#include "trap.h"

/* Buffers the camera's configuration points into (camera_new copies them). */
typedef struct {
	char cb_note[2 * CONFIG_NAME_MAX + 4];
	char cb_widest[64];
	char cb_font[PATH_MAX];
} camera_text_s;

/* The OSD, face, JPEG quality and subsampling of the persona's firmware (a
 * configured quality or font wins); the note sits low on the left by
 * default, clear of the OSD. */
/* The scene configured, or the persona's own. */
static scene_kind_e camera_scene(const config_s *cfg)
{
	return cfg->cfg_scene >= 0 ? (scene_kind_e)cfg->cfg_scene
	                           : scene_for_persona(cfg->cfg_persona->pe_name);
}

static camera_conf_s camera_conf_from(const config_s *cfg, camera_text_s *t)
{
	const persona_picture_s *pp = cfg->cfg_persona->pe_picture;

	trap_note_text(cfg->cfg_trap_user, cfg->cfg_trap_password, t->cb_note, sizeof(t->cb_note));
	credcode_widest(t->cb_widest, sizeof(t->cb_widest));
	config_osd_font(cfg, pp != NULL ? pp->pp_font : NULL, t->cb_font, sizeof(t->cb_font));
	return (camera_conf_s){
	    .cc_w = cfg->cfg_w,
	    .cc_h = cfg->cfg_h,
	    .cc_fps = cfg->cfg_fps,
	    .cc_quality = cfg->cfg_quality > 0 ? cfg->cfg_quality
	                  : pp != NULL         ? pp->pp_quality
	                                       : 80,
	    .cc_sub = pp != NULL ? pp->pp_sub : ENCODER_420,
	    .cc_jfif_minor = pp != NULL ? pp->pp_jfif_minor : 1,
	    .cc_osd = pp != NULL ? &pp->pp_osd : NULL,
	    .cc_video = cfg->cfg_video,
	    .cc_scene = camera_scene(cfg),
	    .cc_daynight = cfg->cfg_daynight == 1   ? LOOK_DAY
	                   : cfg->cfg_daynight == 2 ? LOOK_NIGHT
	                                            : LOOK_AUTO,
	    .cc_fallback_ms = (int64_t)cfg->cfg_video_fallback * 1000,
	    .cc_font = t->cb_font,
	    .cc_note_font = cfg->cfg_font, /* the note is paper in the room, not the firmware's */
	    .cc_name = cfg->cfg_camera_name,
	    .cc_note = cfg->cfg_trap_mode != TRAP_OFF,
	    .cc_note_x = cfg->cfg_trap_x >= 0 ? cfg->cfg_trap_x : cfg->cfg_w / 26,
	    .cc_note_y = cfg->cfg_trap_y >= 0 ? cfg->cfg_trap_y : cfg->cfg_h * 4 / 5,
	    .cc_note_label = cfg->cfg_trap_label,
	    .cc_note_text = cfg->cfg_trap_mode == TRAP_STATIC ? t->cb_note : NULL,
	    .cc_note_widest = t->cb_widest,
	};
}

/* --check-config opens the video and the font too: they are configuration. */
camera_s *camera_stage_open(config_s *cfg, char *err, size_t errlen)
{
	const persona_picture_s *pp = cfg->cfg_persona->pe_picture;
	camera_text_s t = {.cb_note = ""}; /* filled by camera_conf_from */

	/* the default name follows the scene */
	static const char *const names[] = {"SERVER ROOM 1", "OFFICE 1", "WAREHOUSE 1",
	                                    "CAR PARK 1"};
	if (strcmp(cfg->cfg_camera_name, "SERVER ROOM 1") == 0)
		snprintf(cfg->cfg_camera_name, sizeof(cfg->cfg_camera_name), "%s",
		         names[camera_scene(cfg)]);
	if (pp != NULL && !persona_offers_size(cfg->cfg_persona, cfg->cfg_w, cfg->cfg_h))
		log_warnx("size %dx%d is not one the %s firmware offers (%s)", cfg->cfg_w,
		          cfg->cfg_h, cfg->cfg_persona->pe_name, pp->pp_sizes);
	const camera_conf_s cc = camera_conf_from(cfg, &t);
	return camera_new(&cc, err, errlen);
}

int hub_stage_open(daemon_s *dm, char *err, size_t errlen)
{
	dm->dm_hub = hub_new(dm->dm_cam, dm->dm_cfg->cfg_fps, err, errlen);
	return dm->dm_hub != NULL ? 0 : -1;
}

/* Releases every parked viewer; the encoder's figures. */
void hub_stage_stop(daemon_s *dm)
{
	hub_stats_s st;

	if (dm->dm_hub == NULL)
		return;
	hub_stop(dm->dm_hub);
	hub_stats(dm->dm_hub, &st);
	log_info("encoded %llu frames (%llu failed), %.2f ms per frame",
	         (unsigned long long)st.hs_frames, (unsigned long long)st.hs_errors,
	         st.hs_frames ? (double)st.hs_encode_us / 1000.0 / (double)st.hs_frames : 0.0);
}
